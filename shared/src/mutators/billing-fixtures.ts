// Test support (not exported from the package): the mutators of documents over plain maps, with
// real counters (memoryTx's always answer 1) and the issuing company's row.
import { DEFAULT_SERIES, type VerifactuRecord } from '../schemas/billing';
import { memoryTx } from './memory-tx';

export function billingTx(nif: string, now = '2026-12-03T10:00:00.000Z') {
	const m = memoryTx('office', now);
	const counters = new Map<string, number>();
	m.tx.nextNumber = async (c) => {
		counters.set(c, (counters.get(c) ?? 0) + 1);
		return counters.get(c)!;
	};
	m.table('companyProfile').set('empresa', {
		id: 'empresa',
		legalName: 'Redes del Valle SL',
		nif,
		street: 'C/ Mayor 1',
		postalCode: '28001',
		town: 'Madrid',
		series: DEFAULT_SERIES,
		verifactu: true
	});
	const records = () => [...m.table('verifactuRecord').values()] as VerifactuRecord[];
	return { ...m, counters, records };
}
