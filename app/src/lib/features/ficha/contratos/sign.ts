import { NO_PLACE, contractPdfFileName, type SignaturePlace } from '@enlace/shared/pdf/contract';
import type { SignedContract } from '@enlace/shared';
import { db, engine } from '$lib/app.svelte';
import { addFile } from '$lib/files/actions';
import { pdfBlob } from '$lib/pdf';

/** How long to wait for a GPS point before signing without one. */
const GPS_WAIT_MS = 8000;

/** The device's position now, or why there is none (the PDF says so): never fails. */
export function currentPlace(): Promise<SignaturePlace> {
	if (typeof navigator === 'undefined' || !navigator.geolocation) {
		return Promise.resolve({ none: NO_PLACE.unsupported });
	}
	return new Promise((resolve) =>
		navigator.geolocation.getCurrentPosition(
			(p) =>
				resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracyM: p.coords.accuracy }),
			(e) =>
				resolve({
					none: e.code === e.PERMISSION_DENIED ? NO_PLACE.denied : NO_PLACE.noSignal
				}),
			{ enableHighAccuracy: true, timeout: GPS_WAIT_MS, maximumAge: 60_000 }
		)
	);
}

export type SignedPatch = Partial<
	Pick<SignedContract, 'signedHow' | 'signerName' | 'signerTaxId' | 'signedAt' | 'lat' | 'lng'>
>;

/**
 * Keeps the signed PDF on the device through the upload queue (`addFile`: the bytes wait in
 * IndexedDB and go when there is signal), then marks the contract firmado with the file and its
 * SHA-256 — the update is what writes the Historial line with the hash.
 */
export async function storeSigned(
	contract: SignedContract,
	bytes: Uint8Array,
	patch: SignedPatch
): Promise<void> {
	const fileName = contractPdfFileName(contract.name, true);
	const fileId = await addFile({
		customerId: contract.customerId,
		name: fileName.replace(/\.pdf$/, ''),
		tag: 'contrato',
		file: new File([pdfBlob(bytes)], fileName, { type: 'application/pdf' }),
		shrink: false,
		officeOnly: false
	});
	const file = await db.file.get(fileId);
	if (!file) throw new Error('El PDF firmado no se guardó');
	const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
	await engine.mutate('signedContract.update', {
		id: contract.id,
		patch: { ...clean, state: 'firmado', fileId, sha256: file.sha256 }
	});
}
