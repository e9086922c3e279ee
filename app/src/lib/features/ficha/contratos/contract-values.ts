import {
	formatEuros,
	partyAddress,
	type Address,
	type CompanyProfile,
	type Contract,
	type ContractValues,
	type Customer,
	type Tariff,
	type TariffAssignment
} from '@enlace/shared';
import { spanishDate } from '@enlace/shared/pdf/text';

export type ContractSources = {
	customer: Customer | undefined;
	addresses: readonly Address[];
	company: CompanyProfile | undefined;
	/** The linked Contrato Op. (none: its placeholders print empty). */
	contract: Contract | undefined;
	assignments: readonly TariffAssignment[];
	tariffs: readonly Tariff[];
	/** The contract's ISO date. */
	date: string;
};

/**
 * The values of a contract template's placeholders from the customer's file: the fiscal address
 * (or the first one), the linked operator contract and its tariffs still running on the contract's
 * date, one line each with its monthly price (the override when there is one, the discount said).
 */
export function contractValues(s: ContractSources): ContractValues {
	const c = s.customer;
	const a = s.addresses.find((x) => x.label === 'fiscal') ?? s.addresses[0];
	const tariffById = new Map(s.tariffs.map((t) => [t.id, t]));
	const lines = s.contract
		? s.assignments
				.filter((x) => x.contractId === s.contract!.id && (!x.endDate || x.endDate >= s.date))
				.sort((x, y) => x.startDate.localeCompare(y.startDate) || x.id.localeCompare(y.id))
				.map((x) => {
					const tariff = tariffById.get(x.tariffId);
					const price = x.priceOverrideCents ?? tariff?.priceCents;
					const qty = x.quantity > 1 ? `${x.quantity} × ` : '';
					const discount = x.discountPercent ? `, descuento ${x.discountPercent} %` : '';
					const cost = price !== undefined ? `: ${formatEuros(price)}/mes${discount}` : '';
					return `- ${qty}${tariff?.name ?? 'Tarifa'}${cost}`;
				})
		: [];
	return {
		'cliente.nombre': c?.name ?? '',
		'cliente.nif': c?.taxId ?? '',
		'cliente.direccion': a ? partyAddress(a) : '',
		'cliente.codigo': c?.code ?? '',
		'cliente.email': c?.email ?? '',
		'cliente.telefono': c?.mobile || c?.phone || '',
		'contrato.nombre': s.contract?.name ?? '',
		'contrato.desde': s.contract ? spanishDate(s.contract.fromDate) : '',
		'contrato.hasta': s.contract?.toDate ? spanishDate(s.contract.toDate) : '',
		tarifas: lines.join('\n'),
		empresa: s.company?.tradeName || s.company?.legalName || '',
		fecha: spanishDate(s.date)
	};
}
