import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './log';

function capture(level: LogLevel = 'debug') {
	const lines: { line: string; level: LogLevel }[] = [];
	const log = createLogger({
		level,
		now: () => new Date('2025-03-01T10:00:00.000Z'),
		write: (line, lvl) => lines.push({ line, level: lvl })
	});
	return { log, lines };
}

describe('logger', () => {
	it('writes one line per event with time, level, event and fields', () => {
		const { log, lines } = capture();
		log.info('job.done', { router: 'torre-1', ms: 12, ok: true, note: 'two words' });
		expect(lines).toEqual([
			{
				line: '2025-03-01T10:00:00.000Z INFO  job.done router=torre-1 ms=12 ok=true note="two words"',
				level: 'info'
			}
		]);
	});

	it('drops events below the level', () => {
		const { log, lines } = capture('warn');
		log.debug('a');
		log.info('b');
		log.warn('c');
		log.error('d');
		expect(lines.map((l) => l.line.split(/ +/)[2])).toEqual(['c', 'd']);
		expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
	});

	it('shows errors by message and never breaks on odd values', () => {
		const { log, lines } = capture();
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		log.warn('x', { error: new Error('boom'), cyclic, list: [1, 2], nothing: undefined });
		expect(lines[0].line).toContain('error=boom');
		expect(lines[0].line).toContain('cyclic="[object Object]"');
		expect(lines[0].line).toContain('list="[1,2]"');
		expect(lines[0].line).not.toContain('nothing');
	});

	it('redacts credential fields and every registered secret, in children too', () => {
		const { log, lines } = capture();
		log.addSecret('tok_abcdefghijkl');
		log.addSecret('R0uter-Pa55');
		const child = log.child({ router: 'torre-1' });
		child.info('router.connect-failed', {
			password: 'plain-in-a-field',
			token: 'tok_abcdefghijkl',
			error: new Error('login refused for R0uter-Pa55 with tok_abcdefghijkl')
		});
		child.info('event mentions R0uter-Pa55');
		const text = lines.map((l) => l.line).join('\n');
		expect(text).not.toContain('plain-in-a-field');
		expect(text).not.toContain('tok_abcdefghijkl');
		expect(text).not.toContain('R0uter-Pa55');
		expect(text).toContain('password=***');
		expect(text).toContain('router=torre-1');
		expect(text).toContain('"login refused for *** with ***"');
	});

	it('scrubs a secret as a value, not as a substring of other words', () => {
		const { log, lines } = capture();
		log.addSecret('secret');
		const child = log.child({ router: 'torre-1' });
		child.info('job.done', { kind: 'secret.ensure', job: 'job-secret-1', ms: 3 });
		child.warn('job.failed', {
			error: new Error('login refused: password=secret, user secret, "secret" (secret).'),
			word: 'secret',
			list: ['secret', 'secretary'],
			api: '=password=secret'
		});
		expect(lines[0].line).toBe(
			'2025-03-01T10:00:00.000Z INFO  job.done router=torre-1 kind=secret.ensure job=job-secret-1 ms=3'
		);
		const failed = lines[1].line;
		expect(failed).not.toMatch(/[ =,"(]secret[ ,").]/);
		expect(failed).not.toMatch(/[=,"(\\]secret$/);
		expect(failed).toContain('word=***');
		expect(failed).toContain('secretary');
		expect(failed).toContain('api="=password=***"');
		expect(failed).toContain('login refused: password=***, user ***, \\"***\\" (***).');
	});

	it('scrubs credential key=value pairs inside free text', () => {
		const { log, lines } = capture();
		log.info('router.error', { error: 'bad login token=abc123 next=ok', note: 'pass: hunter2' });
		expect(lines[0].line).toContain('token=*** next=ok');
		expect(lines[0].line).toContain('"pass: ***"');
		expect(lines[0].line).not.toContain('abc123');
		expect(lines[0].line).not.toContain('hunter2');
	});

	it('scrubs long hostile text in linear time', () => {
		const { log, lines } = capture();
		log.addSecret('secret');
		const text = 'passpass'.repeat(20_000) + ' ' + 'secret.'.repeat(20_000) + ' a=password=x';
		const t0 = Date.now();
		log.warn('x', { error: text });
		expect(Date.now() - t0).toBeLessThan(500);
		expect(lines[0].line).toContain('a=password=***');
	});
});
