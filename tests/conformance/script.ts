/**
 * One scripted RouterOS API session, driven identically through three clients (our
 * RouterOsClient, node-routeros, Debian's librouteros) against the fake router. Steps are raw
 * API words so every client sends exactly the same sentences; `{{secretId}}` is replaced by the
 * `.id` the add step returned. Login is not a step: each client logs in its own way.
 */
import type { FakeRouterVersion, FakeRow } from '../fake-router/fake-router';

export const USER = { name: 'enlace-agent', password: 'Api-Pa55word-9f3c' };
export const PPPOE_PASSWORD = 'pppoe-Pw-7781';
export const DUPLICATE_PASSWORD = 'pppoe-Other-1234';
export const NAME = 'CLI-00123';
export const PROFILE = '20M-100M';
/** 210 ASCII bytes, so the `=comment=` word (219 bytes) needs a 2-byte length prefix `80 db`. */
export const COMMENT = `enlace:${NAME} | Calle Mayor 1, 28013 Madrid | `.padEnd(210, '#');

/** Profiles the router already has when the session starts. */
export const SEED = { '/ppp/profile': [{ name: PROFILE, 'rate-limit': '100M/20M' }] };

export type StepId =
	| 'add-secret'
	| 'print-secret'
	| 'set-profile'
	| 'add-duplicate'
	| 'remove-secret'
	| 'print-empty'
	| 'ping';

export type ScriptStep = {
	id: StepId;
	words: readonly string[];
	/** Keep `ret` of this step's `!done` under this name for later `{{name}}` words. */
	capture?: string;
};

export const STEPS: readonly ScriptStep[] = [
	{
		id: 'add-secret',
		words: [
			'/ppp/secret/add',
			`=name=${NAME}`,
			`=password=${PPPOE_PASSWORD}`,
			'=profile=default',
			'=service=pppoe',
			`=comment=${COMMENT}`
		],
		capture: 'secretId'
	},
	{
		id: 'print-secret',
		words: [
			'/ppp/secret/print',
			'=.proplist=.id,name,profile,service,disabled,comment',
			`?name=${NAME}`
		]
	},
	{ id: 'set-profile', words: ['/ppp/secret/set', '=.id={{secretId}}', `=profile=${PROFILE}`] },
	{
		id: 'add-duplicate',
		words: ['/ppp/secret/add', `=name=${NAME}`, `=password=${DUPLICATE_PASSWORD}`, '=service=pppoe']
	},
	{ id: 'remove-secret', words: ['/ppp/secret/remove', '=.id={{secretId}}'] },
	{ id: 'print-empty', words: ['/ppp/secret/print', '=.proplist=.id,name', `?name=${NAME}`] },
	{ id: 'ping', words: ['/ping', '=address=127.0.0.1', '=count=3'] }
];

export type Row = Record<string, string>;

/** What a client made of one step, in a shape all three can be reduced to. */
export type StepOutcome =
	| { id: StepId; ok: true; rows: Row[]; ret?: string }
	| { id: StepId; ok: false; trap: { message: string; category?: number } }
	/** The client never settled the step within the driver's per-step limit. */
	| { id: StepId; pending: true };

/** Replaces `{{name}}` in words with captured values. */
export function resolveWords(
	words: readonly string[],
	vars: Readonly<Record<string, string>>
): string[] {
	return words.map((w) => w.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => vars[name] ?? ''));
}

/**
 * node-routeros and librouteros append the attributes of `!done` to the rows (`[{ret: '*1'}]`
 * for add, the README's `data[0].ret`); this splits such a trailing row off again. Only a
 * `ret`-only row counts, which no `!re` row in this script looks like.
 */
export function splitDoneRow(rows: Row[]): { rows: Row[]; ret?: string } {
	const last = rows.at(-1);
	if (last && Object.keys(last).length === 1 && last.ret !== undefined) {
		return { rows: rows.slice(0, -1), ret: last.ret };
	}
	return { rows };
}

/** librouteros turns `true`/`yes` into True and digits into int; turn them back into text. */
export function textValues(row: Record<string, unknown>): Row {
	const out: Row = {};
	for (const [key, value] of Object.entries(row)) {
		out[key] = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
	}
	return out;
}

function pingRow(version: FakeRouterVersion, seq: number): Row {
	const rtt = version === '7.18' ? '1ms520us' : '1ms';
	return {
		seq: String(seq),
		host: '127.0.0.1',
		size: '56',
		ttl: '64',
		time: rtt,
		sent: String(seq + 1),
		received: String(seq + 1),
		'packet-loss': '0',
		'min-rtt': rtt,
		'avg-rtt': rtt,
		'max-rtt': rtt
	};
}

/** Every step's result as a correct client must report it (trap category left out). */
export function expectedOutcomes(version: FakeRouterVersion): StepOutcome[] {
	return [
		{ id: 'add-secret', ok: true, rows: [], ret: '*1' },
		{
			id: 'print-secret',
			ok: true,
			rows: [
				{
					'.id': '*1',
					name: NAME,
					profile: 'default',
					service: 'pppoe',
					disabled: 'false',
					comment: COMMENT
				}
			]
		},
		{ id: 'set-profile', ok: true, rows: [] },
		{
			id: 'add-duplicate',
			ok: false,
			trap: { message: 'failure: secret with the same name already exists' }
		},
		{ id: 'remove-secret', ok: true, rows: [] },
		{ id: 'print-empty', ok: true, rows: [] },
		{ id: 'ping', ok: true, rows: [0, 1, 2].map((seq) => pingRow(version, seq)) }
	];
}

/** `/ppp/secret` as it must look after each step (only the fields the script touches). */
export const SECRETS_AFTER: Readonly<Record<StepId, readonly Partial<FakeRow>[]>> = {
	'add-secret': [
		{
			'.id': '*1',
			name: NAME,
			password: PPPOE_PASSWORD,
			profile: 'default',
			service: 'pppoe',
			comment: COMMENT
		}
	],
	'print-secret': [{ '.id': '*1', name: NAME, profile: 'default' }],
	'set-profile': [{ '.id': '*1', name: NAME, profile: PROFILE, password: PPPOE_PASSWORD }],
	'add-duplicate': [{ '.id': '*1', name: NAME, profile: PROFILE, password: PPPOE_PASSWORD }],
	'remove-secret': [],
	'print-empty': [],
	ping: []
};
