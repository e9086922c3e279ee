import { z } from 'zod';
import { Id, IsoDateTime, text } from './common';

/** A number that is a VLAN id must be one (802.1Q: 1–4094); other text (QinQ, names) is free. */
const Vlan = z
	.string()
	.max(40, 'Máximo 40 caracteres')
	.refine((v) => {
		const s = v.trim();
		return !/^\d+$/.test(s) || (Number(s) >= 1 && Number(s) <= 4094);
	}, 'La VLAN debe estar entre 1 y 4094')
	.optional();

/** Datos operadora: free fields about the operator's own network, as the office writes them. */
export const OperatorFields = z.object({
	lineId: text(60),
	ontSerial: text(40),
	vlan: Vlan,
	/** CTO (caja terminal óptica) and splitter port, e.g. "CTO-23 / puerto 5". */
	ctoPort: text(60),
	coverageZone: text(80),
	notes: text(2000)
});
export type OperatorFields = z.infer<typeof OperatorFields>;
export const OPERATOR_KEYS = Object.keys(OperatorFields.shape) as (keyof OperatorFields)[];

/** One row per customer; its id is the customer's id. */
export const OperatorData = OperatorFields.extend({
	id: Id,
	customerId: Id,
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
}).refine((r) => r.id === r.customerId, {
	message: 'Los datos de operadora llevan el identificador del cliente',
	path: ['id']
});
export type OperatorData = z.infer<typeof OperatorData>;

export const OPERATOR_FIELD_LABELS: Record<string, string> = {
	lineId: 'Identificador de línea',
	ontSerial: 'Número de serie ONT',
	vlan: 'VLAN',
	ctoPort: 'CTO / puerto del splitter',
	coverageZone: 'Zona de cobertura'
};
