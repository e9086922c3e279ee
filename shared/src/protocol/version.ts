/**
 * The sync protocol version, sent by clients in the `x-enlace-protocol` header. A client older
 * than MIN_CLIENT_PROTOCOL gets 409 `client-too-old` and reloads to fetch the new app.
 *
 * History:
 * - 1 (2026-11-27): push of named mutations, seq-paged pull with reset, SSE poke.
 * - 2 (2026-12-02): pull answers carry `access` and `role`; `?access=` resets a device whose
 *   role or scope rules changed. Compatible: a pull without `access` is answered as before.
 * - 3 (2026-12-02): windowed entities (Historial, router jobs): pull answers carry `window`,
 *   `?pinned=` names the customers the device opened lately, `GET /api/sync/older` reads a
 *   customer's older rows; new entities `contract` and `tariffAssignment`. Also the minimum: an
 *   older app skips rows of entities it does not know and moves its position past them, so after
 *   updating it would never receive the contracts made meanwhile. Older apps are answered
 *   `client-too-old` and reload into the new one before they pull.
 * - 4 (2026-12-03): new entities `walletEntry` (Monedero), `companyProfile`, `document` and
 *   `verifactuRecord` (money). The minimum, for the same reason as 3.
 * - 5 (2026-12-03): new entities `payment` and `remittance` (cobros, remesas), `renewalPackage`
 *   and `renewalAssignment` (Renovaciones), `file` (Repositorio), `equipmentProduct` and
 *   `equipment` (Equipamiento), `mailMessage`, `mailUnassigned` and `mailTemplate` (Correo), `contractTemplate` and
 *   `signedContract` (Contratos);
 *   documents move to scope `all` and join the window with VeriFactu records. The minimum, for
 *   the same reason as 3.
 */
export const PROTOCOL_VERSION = 5;
export const MIN_CLIENT_PROTOCOL = 5;
export const PROTOCOL_HEADER = 'x-enlace-protocol';
