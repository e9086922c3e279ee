import type { Context } from 'hono';
import { AppError } from '@enlace/shared';
import type { SessionUser } from './auth/sessions';

export type AppEnv = { Variables: { user: SessionUser; requestId: string } };

/** Read a JSON body; anything that is not JSON is a 400 `invalid-json`, never a 500. */
export async function jsonBody(c: Context): Promise<unknown> {
	const text = await c.req.text();
	try {
		return JSON.parse(text);
	} catch {
		throw new AppError('invalid-json', 'El cuerpo de la petición no es JSON válido');
	}
}
