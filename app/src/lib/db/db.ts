import Dexie, { type Table, type Transaction } from 'dexie';
import { applyRowShapeChange } from './row-shapes';
import { DEVICE_DB, searchDbName } from '../boot-shell';
import {
	PHONES_NORMALISED,
	type EntityName,
	type EntityRows,
	type MutatorContext,
	type WireError
} from '@enlace/shared';

/** A mutation waiting to reach the server, in the order the user made it. */
export type OutboxRow = {
	seq?: number;
	id: string;
	name: string;
	args: unknown;
	createdAt: string;
	/** Who made it on this device (the server re-checks the session on push). */
	ctx: Pick<MutatorContext, 'userId' | 'userName' | 'role'>;
};

/**
 * A file taken on this device whose bytes have not all reached the server (Repositorio): kept
 * here, in IndexedDB, until the upload completes, so a reload, a crash or a day offline loses
 * nothing. `uploadUrl` is the tus upload's address once the server made it (resume from there).
 */
export type FileUploadRow = {
	id: string;
	customerId: string;
	blob: Blob;
	size: number;
	uploadUrl?: string;
	/** Bytes the server confirmed, for the progress bars (updated while it runs). */
	sent: number;
	state: 'waiting' | 'uploading' | 'failed';
	error?: string;
	createdAt: string;
};

/** A downloaded (or uploaded) file kept for offline use; the oldest used go past the limit. */
export type FileCacheRow = { id: string; blob: Blob; size: number; usedAt: string };

/** A mutation the server refused: kept with its reason so the typed data is never lost. */
export type RejectedRow = OutboxRow & { error: WireError; rejectedAt: string };

/**
 * The server's version of a row that has unsent local changes on top (null: the server does not
 * have it). Pulled changes to such rows land here; a rebase restores these and replays the outbox.
 */
export type ShadowRow = {
	key: string;
	entity: EntityName;
	id: string;
	row: Record<string, unknown> | null;
};

export type MetaRow = { key: string; value: unknown };

/**
 * One row per engine transaction that changed entity tables (a mutation, a pulled page, a
 * rebase, a reset): the ids it touched by entity, or 'all' (a reset). `rev` orders them across
 * the browser's tabs. Caches kept beside the tables (the customer search index) load a snapshot
 * taken at some rev and re-read only the rows named after it.
 */
export type JournalRow = { rev?: number; touched: Partial<Record<EntityName, string[]>> | 'all' };

/** A cache's saved state (the customer search index), with the journal rev it reflects. */
export type SnapshotRow = { key: string; rev: number; value: unknown };

/**
 * The device database's history, oldest first: Dexie opens an older database by running, in
 * order, the upgrade of every version it has not seen. Append only — never edit a version that
 * has shipped; a row-shape change is a new version whose upgrade applies the same
 * `RowShapeChange` as the server's migration (docs/row-shapes.md).
 */
export const DB_VERSIONS: {
	version: number;
	stores: Record<string, string | null>;
	upgrade?: (tx: Transaction) => Promise<void>;
}[] = [
	// One table per server entity. Indexes serve the screens: codes and tax ids for look-ups,
	// customerId for every tab's rows.
	{
		version: 1,
		stores: {
			customer: 'id, code, taxId, name, stateId, typeId, updatedAt',
			address: 'id, customerId',
			contactPerson: 'id, customerId',
			history: 'id, customerId, at',
			setting: 'id, list',
			user: 'id',
			outbox: '++seq, &id',
			rejected: 'id',
			shadow: 'key',
			meta: 'key'
		}
	},
	// The rest of the customer file (issue #4) and router work (issue #3).
	{
		version: 2,
		stores: {
			paymentMethod: 'id, customerId, mandateReference',
			company: 'id, customerId',
			opportunity: 'id, customerId, stageId, ownerId',
			opportunityAction: 'id, customerId, opportunityId',
			operatorData: 'id, customerId',
			customField: 'id',
			customFieldValue: 'id, customerId, fieldId',
			router: 'id, agentId',
			ipPool: 'id, routerId',
			tariff: 'id',
			pppoeAccount: 'id, customerId, routerId, username',
			routerJob: 'id, routerId, customerId, accountId, state',
			cmiStatus: 'id, routerId, customerId, accountId'
		}
	},
	// Phones stored normalised; the server's migration 0003_phones_normalised does the same.
	{ version: 3, stores: {}, upgrade: (tx) => applyRowShapeChange(tx, PHONES_NORMALISED) },
	// Contratos Op. and Asignación de tarifas (no server migration: rows of new entities live in
	// `records` like any other); the change journal and the search index's snapshot (issue #9).
	{
		version: 4,
		stores: {
			contract: 'id, customerId',
			tariffAssignment: 'id, customerId, contractId, tariffId',
			journal: '++rev',
			snapshot: 'key'
		}
	},
	// Money (issue #10): the Monedero's movements, Documentos and the company's data, and the
	// VeriFactu records the server writes. New entities, no server row migration.
	{
		version: 5,
		stores: {
			walletEntry: 'id, customerId',
			companyProfile: 'id',
			document: 'id, customerId, kind, state',
			verifactuRecord: 'id, documentId, position'
		}
	},
	// Cobros and remesas (issue #10): payments of documents (scope `all`: a technician collects
	// on site) and SEPA remittances. New entities, no row migration; the server's 0007 re-scopes
	// documents, and technician devices reset to pull them.
	{
		version: 6,
		stores: {
			payment: 'id, customerId, documentId, method, remittanceId',
			remittance: 'id, collectionDate'
		}
	},
	// Renovaciones (issue #10): the package catalogue and the customer's packages. New entities,
	// no server row migration.
	{
		version: 7,
		stores: {
			renewalPackage: 'id',
			renewalAssignment: 'id, customerId, packageId'
		}
	},
	// Files (issue #11): the `file` rows (metadata, synced), the bytes waiting to upload and the
	// downloaded files' cache (never synced). No server migration: `file` rows live in `records`.
	{
		version: 9,
		stores: {
			file: 'id, customerId, tag',
			fileUpload: 'id, customerId, createdAt',
			fileCache: 'id, usedAt'
		}
	},
	// Equipamiento (issue #11): the device catalogue (looked up by code and barcode when a box is
	// scanned) and the devices installed at customers. New entities, no server row migration.
	{
		version: 10,
		stores: {
			equipmentProduct: 'id, code, barcode',
			equipment: 'id, customerId, productId'
		}
	},
	// Correo (issue #12): a customer's sent and received mail (newest first by `at`), the
	// unassigned inbox and the templates. New entities, no server row migration.
	{
		version: 11,
		stores: {
			mailMessage: 'id, customerId, [customerId+at], at, status',
			mailUnassigned: 'id, at',
			mailTemplate: 'id'
		}
	},
	// Contratos (issue #11): contract templates and the customer's contracts (signed or not). New
	// entities, no server row migration.
	{
		version: 13,
		stores: {
			contractTemplate: 'id',
			signedContract: 'id, customerId'
		}
	},
	// The search index's snapshot moves to a database of its own (SearchDb): the boot script opens
	// that one in a fraction of the time this one, with its 44 stores and their indexes, takes on
	// a slowed phone. An older device's snapshot goes; the index is built from the tables once.
	{ version: 14, stores: { snapshot: null } }
];

type DbVersion = (typeof DB_VERSIONS)[number];

/**
 * The versions Dexie needs told, for `versions` up to `upTo`: those with an upgrade and the last,
 * each with every store declared up to it. Dexie reads an older device's own schema from
 * IndexedDB and creates what it lacks, so a version without an upgrade needs no declaration of
 * its own — and Dexie re-parses every declared version's stores for each one declared (11
 * versions: 66 parses, 0.1–0.2 s of a phone's start-up).
 */
export function compactVersions(versions: readonly DbVersion[], upTo = Infinity): DbVersion[] {
	const shown = versions.filter((v) => v.version <= upTo);
	const out: DbVersion[] = [];
	let stores: DbVersion['stores'] = {};
	shown.forEach((v, i) => {
		stores = { ...stores, ...v.stores };
		if (v.upgrade || i === shown.length - 1) out.push({ ...v, stores });
	});
	return out;
}

/** Declares on `db` the versions of DB_VERSIONS up to `upTo` (tests open older databases). */
export function declareVersions(db: Dexie, upTo = Infinity, versions = DB_VERSIONS): void {
	for (const v of compactVersions(versions, upTo)) {
		const declared = db.version(v.version).stores(v.stores);
		if (v.upgrade) declared.upgrade(v.upgrade);
	}
}

type EntityTables = { [E in EntityName]: Table<EntityRows[E], string> };

export class EnlaceDb extends Dexie implements EntityTables {
	declare customer: EntityTables['customer'];
	declare address: EntityTables['address'];
	declare contactPerson: EntityTables['contactPerson'];
	declare history: EntityTables['history'];
	declare setting: EntityTables['setting'];
	declare user: EntityTables['user'];
	declare paymentMethod: EntityTables['paymentMethod'];
	declare company: EntityTables['company'];
	declare opportunity: EntityTables['opportunity'];
	declare opportunityAction: EntityTables['opportunityAction'];
	declare operatorData: EntityTables['operatorData'];
	declare customField: EntityTables['customField'];
	declare customFieldValue: EntityTables['customFieldValue'];
	declare router: EntityTables['router'];
	declare ipPool: EntityTables['ipPool'];
	declare tariff: EntityTables['tariff'];
	declare pppoeAccount: EntityTables['pppoeAccount'];
	declare routerJob: EntityTables['routerJob'];
	declare cmiStatus: EntityTables['cmiStatus'];
	declare contract: EntityTables['contract'];
	declare tariffAssignment: EntityTables['tariffAssignment'];
	declare walletEntry: EntityTables['walletEntry'];
	declare payment: EntityTables['payment'];
	declare remittance: EntityTables['remittance'];
	declare companyProfile: EntityTables['companyProfile'];
	declare document: EntityTables['document'];
	declare verifactuRecord: EntityTables['verifactuRecord'];
	declare renewalPackage: EntityTables['renewalPackage'];
	declare renewalAssignment: EntityTables['renewalAssignment'];
	declare file: EntityTables['file'];
	declare fileUpload: Table<FileUploadRow, string>;
	declare fileCache: Table<FileCacheRow, string>;
	declare equipmentProduct: EntityTables['equipmentProduct'];
	declare equipment: EntityTables['equipment'];
	declare mailMessage: EntityTables['mailMessage'];
	declare mailUnassigned: EntityTables['mailUnassigned'];
	declare mailTemplate: EntityTables['mailTemplate'];
	declare contractTemplate: EntityTables['contractTemplate'];
	declare signedContract: EntityTables['signedContract'];
	declare outbox: Table<OutboxRow, number>;
	declare rejected: Table<RejectedRow, string>;
	declare shadow: Table<ShadowRow, string>;
	declare meta: Table<MetaRow, string>;
	declare journal: Table<JournalRow, number>;
	/** The search index's snapshot, beside this database (opened when first used). */
	readonly search: SearchDb;

	constructor(name = DEVICE_DB, options?: ConstructorParameters<typeof Dexie>[1]) {
		super(name, options);
		declareVersions(this);
		this.search = new SearchDb(searchDbName(name), options);
	}

	close(options?: Parameters<Dexie['close']>[0]): void {
		this.search.close(options);
		super.close(options);
	}

	table_<E extends EntityName>(entity: E): EntityTables[E] {
		return this.table(entity) as unknown as EntityTables[E];
	}

	async getMeta<T>(key: string): Promise<T | undefined> {
		return (await this.meta.get(key))?.value as T | undefined;
	}

	setMeta(key: string, value: unknown): Promise<string> {
		return this.meta.put({ key, value });
	}
}

/**
 * The customer search index's snapshot (features/clientes/search-index.ts), in a database of
 * its own so that the boot script, reading it before the app runs, opens one small store. Its
 * rows are written together at one rev of the device database's journal; the journal is
 * trimmed only once they are (a device database begun again, with a journal behind the
 * snapshot, has it rebuilt: see SearchIndex).
 */
export class SearchDb extends Dexie {
	declare snapshot: Table<SnapshotRow, string>;

	constructor(name: string, options?: ConstructorParameters<typeof Dexie>[1]) {
		super(name, options);
		this.version(1).stores({ snapshot: 'key' });
	}
}
