// Sample data of `npm run demo`: customers, their addresses and contacts, tariffs.
import { randomUUID } from 'node:crypto';
import { addMonthsClamped, dayBefore, makeCif, makeNif } from '@enlace/shared';

const nif = makeNif;

type Sample = {
	name: string;
	town: string;
	province: string;
	postalCode: string;
	street: string;
	mobile: string;
	contact?: { name: string; roleId: string; phone: string };
	company?: true;
};

const SAMPLES: Sample[] = [
	{
		name: 'Lucía Fernández Soto',
		town: 'Ávila',
		province: 'Ávila',
		postalCode: '05001',
		street: 'Calle Mayor 12, 2º B',
		mobile: '600123456'
	},
	{
		name: 'Javier Martín Gómez',
		town: 'Arévalo',
		province: 'Ávila',
		postalCode: '05200',
		street: 'Camino del Molino 7',
		mobile: '611234567',
		contact: { name: 'Ana Martín', roleId: 'contactRole-familiar', phone: '611234568' }
	},
	{
		name: 'María del Carmen Ruiz Díaz',
		town: 'Segovia',
		province: 'Segovia',
		postalCode: '40001',
		street: 'Plaza Mayor 3',
		mobile: '622345678'
	},
	{
		name: 'Bar Casa Manolo',
		town: 'Cuéllar',
		province: 'Segovia',
		postalCode: '40200',
		street: 'Calle San Francisco 21',
		mobile: '633456789',
		contact: { name: 'Manuel Pérez', roleId: 'contactRole-gerente', phone: '921140000' },
		company: true
	},
	{
		name: 'Antonio Sánchez Moreno',
		town: 'Peñaranda de Bracamonte',
		province: 'Salamanca',
		postalCode: '37300',
		street: 'Avenida de Salamanca 44',
		mobile: '644567890'
	},
	{
		name: 'Carmen López Navarro',
		town: 'Medina del Campo',
		province: 'Valladolid',
		postalCode: '47400',
		street: 'Calle Padilla 9',
		mobile: '655678901'
	},
	{
		name: 'Francisco Javier Gil Romero',
		town: 'Olmedo',
		province: 'Valladolid',
		postalCode: '47410',
		street: 'Calle Real 15',
		mobile: '666789012'
	},
	{
		name: 'Talleres Hermanos Ortega',
		town: 'Arévalo',
		province: 'Ávila',
		postalCode: '05200',
		street: 'Polígono La Nava, nave 4',
		mobile: '677890123',
		contact: { name: 'Luis Ortega', roleId: 'contactRole-tecnico', phone: '920300100' },
		company: true
	},
	{
		name: 'Isabel Castro Vidal',
		town: 'El Espinar',
		province: 'Segovia',
		postalCode: '40400',
		street: 'Calle de la Iglesia 2',
		mobile: '688901234'
	},
	{
		name: 'Manuel Rodríguez Serrano',
		town: 'Piedrahíta',
		province: 'Ávila',
		postalCode: '05500',
		street: 'Calle Mayor 30',
		mobile: '699012345'
	},
	{
		name: 'Pilar Jiménez Herrera',
		town: 'Las Navas del Marqués',
		province: 'Ávila',
		postalCode: '05230',
		street: 'Avenida Principal 5',
		mobile: '612345670'
	},
	{
		name: 'David Muñoz Álvarez',
		town: 'Candeleda',
		province: 'Ávila',
		postalCode: '05480',
		street: 'Calle del Pozo 11',
		mobile: '623456701',
		contact: { name: 'Rosa Álvarez', roleId: 'contactRole-familiar', phone: '623456702' }
	},
	{
		name: 'Laura Romero Blanco',
		town: 'Arenas de San Pedro',
		province: 'Ávila',
		postalCode: '05400',
		street: 'Calle Triste Condesa 8',
		mobile: '634567012'
	},
	{
		name: 'Casa Rural El Encinar',
		town: 'Sotillo de la Adrada',
		province: 'Ávila',
		postalCode: '05420',
		street: 'Paraje El Encinar s/n',
		mobile: '645670123',
		contact: { name: 'Elena Sanz', roleId: 'contactRole-administracion', phone: '918660000' },
		company: true
	},
	{
		name: 'José Luis Navarro Ramos',
		town: 'Tordesillas',
		province: 'Valladolid',
		postalCode: '47100',
		street: 'Calle Santa María 4',
		mobile: '656701234'
	},
	{
		name: 'Cristina Torres Molina',
		town: 'Madrigal de las Altas Torres',
		province: 'Ávila',
		postalCode: '05220',
		street: 'Calle Cervantes 6',
		mobile: '667012345'
	},
	{
		name: 'Miguel Ángel Domínguez Cano',
		town: 'Sepúlveda',
		province: 'Segovia',
		postalCode: '40300',
		street: 'Plaza de España 1',
		mobile: '678123456'
	},
	{
		name: 'Rocío Vázquez Prieto',
		town: 'Riaza',
		province: 'Segovia',
		postalCode: '40500',
		street: 'Calle Ricardo Provencio 13',
		mobile: '689234567'
	},
	{
		name: 'Alberto Iglesias Fuentes',
		town: 'Ávila',
		province: 'Ávila',
		postalCode: '05003',
		street: 'Avenida de Madrid 70, 4º A',
		mobile: '690345678'
	},
	{
		name: 'Farmacia Guerrero',
		town: 'Arévalo',
		province: 'Ávila',
		postalCode: '05200',
		street: 'Plaza del Arrabal 2',
		mobile: '601456789',
		contact: { name: 'Teresa Guerrero', roleId: 'contactRole-gerente', phone: '920300200' },
		company: true
	}
];

const cif = (letter: string, digits: string) => makeCif(Number(digits), letter);

const TARIFFS = [
	{ name: 'Fibra 100', priceCents: 2990, downloadMbps: 100, uploadMbps: 20 },
	{ name: 'Fibra 300', priceCents: 3990, downloadMbps: 300, uploadMbps: 50 },
	{ name: 'Radio 30', priceCents: 2490, downloadMbps: 30, uploadMbps: 5 },
	{ name: 'Fibra 600', priceCents: 4990, downloadMbps: 600, uploadMbps: 100 }
];

/** Which sample customer shows which contract case (indexes into SAMPLES). */
const CONTRACT_CASES = {
	/** Fibra 100 until the end of this month, Fibra 300 from the 1st: the router follows then. */
	upgrade: 0,
	/** A business with a second line from the 15th of next month: a prorated line in the previo. */
	secondLine: 3
} as const;

export type SampleMutation = { name: string; args: unknown };

/**
 * The sample customers (with valid NIF/CIF, an address, a contact for some) and the tariffs, as
 * the mutations that create them; the ids, in SAMPLES' and TARIFFS' order, for what comes next.
 */
export function sampleCustomers(): {
	mutations: SampleMutation[];
	customerIds: string[];
	tariffIds: string[];
} {
	const mutations: SampleMutation[] = [];
	const customerIds: string[] = [];
	SAMPLES.forEach((s, i) => {
		const id = randomUUID();
		customerIds.push(id);
		const company = s.company
			? {
					isCompany: true,
					taxIdType: 'cif',
					taxId: cif('B', String(5100000 + i * 7919).slice(0, 7))
				}
			: { isCompany: false, taxIdType: 'nif', taxId: nif(10_000_000 + i * 2_345_671) };
		const email = `${s.name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z]+/g, '.')
			.replace(/^\.|\.$/g, '')
			.slice(0, 30)}@example.es`;
		mutations.push({
			name: 'customer.create',
			args: {
				id,
				name: s.name,
				...company,
				stateId: i === 17 ? 'customerState-captado' : 'customerState-alta',
				typeId: s.company ? 'customerType-empresa' : 'customerType-particular',
				originId: ['origin-web', 'origin-recomendacion', 'origin-puerta', 'origin-telefono'][i % 4],
				mobile: s.mobile,
				email
			}
		});
		mutations.push({
			name: 'address.create',
			args: {
				id: randomUUID(),
				customerId: id,
				label: 'servicio',
				street: s.street,
				postalCode: s.postalCode,
				town: s.town,
				province: s.province,
				country: 'ES'
			}
		});
		if (s.contact)
			mutations.push({
				name: 'contactPerson.create',
				args: { id: randomUUID(), customerId: id, ...s.contact }
			});
	});
	const tariffIds = TARIFFS.map(() => randomUUID());
	TARIFFS.forEach((t, i) =>
		mutations.push({
			name: 'tariff.create',
			args: { id: tariffIds[i], ...t, vatRate: 21, billingPeriod: 'monthly', active: true }
		})
	);
	return { mutations, customerIds, tariffIds };
}

/**
 * Contratos Op. and Asignación de tarifas for the customers with a PPPoE account: one contract
 * each, since the first of last month (quarterly for the other businesses), with the account's
 * tariff linked to the account (so the tariff gives the secret's profile). Two customers show
 * more: a tariff change dated ahead, and a second line starting in the middle of the next period.
 */
export function sampleContracts(input: {
	accounts: { id: string; customerId: string; tariffId?: string }[];
	/** The customers' addresses: a contract is at its customer's service address. */
	addresses: { id: string; customerId: string }[];
	customerIds: string[];
	tariffIds: string[];
	/** The day in Madrid. */
	today: string;
}): SampleMutation[] {
	const { accounts, addresses, customerIds, tariffIds, today } = input;
	const thisMonth = `${today.slice(0, 8)}01`;
	const since = addMonthsClamped(thisMonth, -1);
	const nextMonth = addMonthsClamped(thisMonth, 1);
	const [fibra100, fibra300, radio30] = tariffIds;
	const mutations: SampleMutation[] = [];
	for (const account of accounts) {
		const sample = customerIds.indexOf(account.customerId);
		if (sample < 0 || !account.tariffId) continue;
		const contractId = randomUUID();
		const business = SAMPLES[sample].company === true;
		const quarterly = business && sample !== CONTRACT_CASES.secondLine;
		mutations.push({
			name: 'contract.create',
			args: {
				id: contractId,
				customerId: account.customerId,
				name: business ? 'Conexión del local' : 'Conexión a internet',
				fromDate: since,
				addressId: addresses.find((a) => a.customerId === account.customerId)?.id,
				billingFrequency: quarterly ? 'quarterly' : 'monthly',
				notes: ''
			}
		});
		const assign = (tariffId: string, startDate: string, extra: Record<string, unknown> = {}) =>
			mutations.push({
				name: 'tariffAssignment.create',
				args: {
					id: randomUUID(),
					customerId: account.customerId,
					contractId,
					tariffId,
					startDate,
					quantity: 1,
					notes: '',
					...extra
				}
			});
		if (sample === CONTRACT_CASES.upgrade) {
			assign(fibra100, since, { endDate: dayBefore(nextMonth), pppoeAccountId: account.id });
			assign(fibra300, nextMonth, {
				pppoeAccountId: account.id,
				notes: 'Mejora a 300 Mb pedida por teléfono'
			});
			continue;
		}
		assign(account.tariffId, since, { pppoeAccountId: account.id });
		if (sample === CONTRACT_CASES.secondLine)
			assign(radio30, `${nextMonth.slice(0, 8)}15`, {
				discountPercent: 20,
				notes: 'Radioenlace del almacén'
			});
	}
	return mutations;
}

export { CONTRACT_CASES, SAMPLES, TARIFFS, cif, nif, type Sample };
