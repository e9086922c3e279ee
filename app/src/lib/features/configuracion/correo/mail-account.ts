/** What the mail account's screen says when the server cannot be reached (its API is online only). */
export const MAIL_OFFLINE = 'La cuenta de correo necesita conexión';
