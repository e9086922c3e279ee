// A document's PDF on the device: made here (offline too) by the shared code, then saved or
// opened. pdf-lib loads only when the first PDF is made (a chunk of its own, precached by the
// service worker like every other), so the rest of the app does not carry it.
import type { DocumentPdfInput, DocumentPdfOptions } from '@enlace/shared/pdf/input';
import type { ContractPdfInput, PagePhoto } from '@enlace/shared/pdf/contract';
import { partyAddress, type Address, type Customer } from '@enlace/shared';

/** The customer as a PDF made on the device prints it: name, code, tax id, fiscal address. */
export function pdfCustomer(c: Customer | undefined, addresses: readonly Address[] | undefined) {
	const a = addresses?.find((x) => x.label === 'fiscal') ?? addresses?.[0];
	return {
		name: c?.name ?? '',
		code: c?.code,
		taxId: c?.taxId,
		address: a ? partyAddress(a) : undefined
	};
}

/** The document's PDF bytes, made on the device. */
export async function makeDocumentPdf(
	input: DocumentPdfInput,
	options: DocumentPdfOptions = {}
): Promise<{ bytes: Uint8Array; fileName: string }> {
	const { renderDocumentPdf, documentPdfFileName } = await import('@enlace/shared/pdf/index');
	return { bytes: await renderDocumentPdf(input, options), fileName: documentPdfFileName(input) };
}

/** PDF bytes as a Blob of type application/pdf. */
export const pdfBlob = (bytes: Uint8Array): Blob =>
	new Blob([bytes as BlobPart], { type: 'application/pdf' });

// Object URLs are freed once the browser has had time to start the download or the viewer.
const REVOKE_AFTER_MS = 60_000;

/** Saves the PDF under `fileName` (the browser's download, which also works offline). */
export const downloadPdf = (bytes: Uint8Array, fileName: string): void =>
	downloadBlob(pdfBlob(bytes), fileName);

/** Saves any file made on the device (a PDF, a remittance's XML) as the browser's download. */
export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/**
 * Opens the PDF in the browser's viewer in a new tab; falls back to saving it when the tab cannot
 * be opened (a blocked pop-up, an installed app on a phone without a viewer).
 */
export function openPdf(bytes: Uint8Array, fileName: string): void {
	const url = URL.createObjectURL(pdfBlob(bytes));
	// No 'noopener': with it window.open returns null and a blocked tab could not be told apart.
	const tab = window.open(url, '_blank');
	if (!tab) {
		URL.revokeObjectURL(url);
		downloadPdf(bytes, fileName);
		return;
	}
	setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** A contract's PDF (its text, and the signature block once signed), made on the device. */
export async function makeContractPdf(input: ContractPdfInput): Promise<Uint8Array> {
	const { renderContractPdf } = await import('@enlace/shared/pdf/contract');
	return renderContractPdf(input);
}

/** Photos of a signed paper as one PDF, a page each, made on the device. */
export async function makePhotosPdf(photos: PagePhoto[], title: string): Promise<Uint8Array> {
	const { photosToPdf } = await import('@enlace/shared/pdf/contract');
	return photosToPdf(photos, { title });
}
