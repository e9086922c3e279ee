// Documents as PDF, the same code in the browser and in Node. Import from '@enlace/shared/pdf/index'
// (not the package root) so that pdf-lib is loaded only where a PDF is made.
export * from './input';
export * from './verifactu-qr';
export * from './render';
export * from './from-document';
export { fitText, wrapText, spanishDate } from './text';
export * from './from-renewal';
export * from './contract';
