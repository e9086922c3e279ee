import type { Party, VerifactuRecord } from '../schemas/billing';
import { aeatAmount } from './verifactu';

/**
 * The XML of VeriFactu records, `sfLR:RegFactuSistemaFacturacion` of the AEAT's SuministroLR.xsd:
 * a Cabecera and at most 1,000 RegistroFactura, each an alta or an anulación, built only from the
 * stored records (which hold every field they need), in chain order. Element order follows the
 * schema; the tests validate the output with xmllint against the AEAT's own XSDs.
 */

export const MAX_RECORDS_PER_FILE = 1000;

const NS_LR =
	'https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroLR.xsd';
const NS_SF =
	'https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd';

export type SistemaInformatico = { version: string; installation: string };

const esc = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `<sf:Name>text</sf:Name>`, the text escaped and cut to the schema's length. */
const el = (name: string, value: string, max = 500) =>
	`<sf:${name}>${esc(value.trim().slice(0, max))}</sf:${name}>`;
const wrap = (name: string, ...inner: string[]) => `<sf:${name}>${inner.join('')}</sf:${name}>`;

const SPANISH_IDS = new Set(['nif', 'nie', 'cif']);

/** A recipient: NIF when Spanish, else IDOtro (03 passport, 06 other document). */
function party(p: Party): string {
	const name = el('NombreRazon', p.name || '-', 120);
	if (!p.taxIdType || SPANISH_IDS.has(p.taxIdType)) return name + el('NIF', p.taxId ?? '', 9);
	const type = p.taxIdType === 'passport' ? '03' : '06';
	return name + wrap('IDOtro', el('IDType', type), el('ID', p.taxId || '-', 20));
}

function sistema(r: VerifactuRecord, s: SistemaInformatico): string {
	return wrap(
		'SistemaInformatico',
		el('NombreRazon', r.issuerName, 120),
		el('NIF', r.issuerNif),
		el('NombreSistemaInformatico', 'Enlace'),
		el('IdSistemaInformatico', 'EN'),
		el('Version', s.version, 50),
		el('NumeroInstalacion', s.installation, 100),
		el('TipoUsoPosibleSoloVerifactu', 'N'),
		el('TipoUsoPosibleMultiOT', 'N'),
		el('IndicadorMultiplesOT', 'N')
	);
}

function encadenamiento(r: VerifactuRecord): string {
	if (!r.previous) return wrap('Encadenamiento', el('PrimerRegistro', 'S'));
	return wrap(
		'Encadenamiento',
		wrap(
			'RegistroAnterior',
			el('IDEmisorFactura', r.issuerNif),
			el('NumSerieFactura', r.previous.numSerie),
			el('FechaExpedicionFactura', r.previous.fecha),
			el('Huella', r.previous.huella)
		)
	);
}

function detalle(d: NonNullable<VerifactuRecord['detail']>[number]): string {
	if (d.exemptReason) {
		return wrap(
			'DetalleDesglose',
			el('ClaveRegimen', '01'),
			el('OperacionExenta', d.exemptReason),
			el('BaseImponibleOimporteNoSujeto', aeatAmount(d.baseCents))
		);
	}
	return wrap(
		'DetalleDesglose',
		el('ClaveRegimen', '01'),
		el('CalificacionOperacion', 'S1'),
		el('TipoImpositivo', String(d.vatRate)),
		el('BaseImponibleOimporteNoSujeto', aeatAmount(d.baseCents)),
		el('CuotaRepercutida', aeatAmount(d.vatCents))
	);
}

function alta(r: VerifactuRecord, s: SistemaInformatico): string {
	const parts = [
		el('IDVersion', '1.0'),
		wrap(
			'IDFactura',
			el('IDEmisorFactura', r.issuerNif),
			el('NumSerieFactura', r.numSerie),
			el('FechaExpedicionFactura', r.fecha)
		),
		el('NombreRazonEmisor', r.issuerName, 120),
		el('TipoFactura', r.tipoFactura ?? 'F1')
	];
	if (r.tipoRectificativa) parts.push(el('TipoRectificativa', r.tipoRectificativa));
	if (r.rectified) {
		parts.push(
			wrap(
				'FacturasRectificadas',
				wrap(
					'IDFacturaRectificada',
					el('IDEmisorFactura', r.issuerNif),
					el('NumSerieFactura', r.rectified.numSerie),
					el('FechaExpedicionFactura', r.rectified.fecha)
				)
			)
		);
	}
	if (r.importeRectificacion) {
		parts.push(
			wrap(
				'ImporteRectificacion',
				el('BaseRectificada', r.importeRectificacion.baseRectificada),
				el('CuotaRectificada', r.importeRectificacion.cuotaRectificada)
			)
		);
	}
	parts.push(el('DescripcionOperacion', r.descripcion || 'Servicios de telecomunicaciones'));
	if (r.recipient && r.tipoFactura !== 'F2' && r.tipoFactura !== 'R5') {
		parts.push(wrap('Destinatarios', wrap('IDDestinatario', party(r.recipient))));
	}
	parts.push(
		wrap('Desglose', ...(r.detail ?? []).slice(0, 12).map(detalle)),
		el('CuotaTotal', r.cuotaTotal ?? '0.00'),
		el('ImporteTotal', r.importeTotal ?? '0.00'),
		encadenamiento(r),
		sistema(r, s),
		el('FechaHoraHusoGenRegistro', r.generatedAt),
		el('TipoHuella', '01'),
		el('Huella', r.huella)
	);
	return wrap('RegistroAlta', ...parts);
}

function anulacion(r: VerifactuRecord, s: SistemaInformatico): string {
	return wrap(
		'RegistroAnulacion',
		el('IDVersion', '1.0'),
		wrap(
			'IDFactura',
			el('IDEmisorFacturaAnulada', r.issuerNif),
			el('NumSerieFacturaAnulada', r.numSerie),
			el('FechaExpedicionFacturaAnulada', r.fecha)
		),
		encadenamiento(r),
		sistema(r, s),
		el('FechaHoraHusoGenRegistro', r.generatedAt),
		el('TipoHuella', '01'),
		el('Huella', r.huella)
	);
}

/** One file: the issuer's records (1 to 1,000, in chain order) as SuministroLR XML. */
export function verifactuXml(
	obligado: { name: string; nif: string },
	records: readonly VerifactuRecord[],
	sistemaInformatico: SistemaInformatico
): string {
	if (!records.length || records.length > MAX_RECORDS_PER_FILE) {
		throw new Error(`Un fichero lleva de 1 a ${MAX_RECORDS_PER_FILE} registros`);
	}
	const body = [...records]
		.sort((a, b) => a.position - b.position)
		.map(
			(r) =>
				`<sfLR:RegistroFactura>${r.kind === 'alta' ? alta(r, sistemaInformatico) : anulacion(r, sistemaInformatico)}</sfLR:RegistroFactura>`
		)
		.join('\n');
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		`<sfLR:RegFactuSistemaFacturacion xmlns:sfLR="${NS_LR}" xmlns:sf="${NS_SF}">`,
		`<sfLR:Cabecera>${wrap('ObligadoEmision', el('NombreRazon', obligado.name, 120), el('NIF', obligado.nif))}</sfLR:Cabecera>`,
		body,
		'</sfLR:RegFactuSistemaFacturacion>',
		''
	].join('\n');
}
