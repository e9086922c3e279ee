import { COMPANY_PROFILE_ID } from '@enlace/shared';
import { db } from '$lib/app.svelte';
import { live } from '$lib/live.svelte';
import { pdfCustomer } from '$lib/pdf';

/**
 * The issuing company and the customer as a PDF made on the device prints them, kept live from
 * the device's database. Call it while a component is created (it sets up live queries).
 */
export function livePdfParties(customerId: () => string) {
	const company = live(() => db.companyProfile.get(COMPANY_PROFILE_ID));
	const customer = live(() => db.customer.get(customerId()), customerId);
	const addresses = live(
		() => db.address.where('customerId').equals(customerId()).toArray(),
		customerId
	);
	return {
		get company() {
			return company.current;
		},
		get customer() {
			return pdfCustomer(customer.current, addresses.current);
		}
	};
}
