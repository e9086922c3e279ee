/** The boot script's code, bundled on its own (vite.config.ts, bootScript). */
declare module 'virtual:enlace-boot-script' {
	const code: string;
	export default code;
}
