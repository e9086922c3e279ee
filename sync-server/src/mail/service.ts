import type { Db } from '../db/client';
import type { FileStorage } from '../files/storage';
import type { SeqNotifier } from '../sync/notifier';
import { MailOutbox, type OutboxSettings } from './outbox';
import { MailReceiver, type ReceiverState } from './receiver';

export type MailSettings = OutboxSettings & {
	/** How often every watched folder is looked at, besides IDLE's announcements. */
	pollSeconds: number;
	/** Off: this instance neither sends nor receives (another one does). */
	enabled: boolean;
};

/** The outbox and the receiver of one server process (docs/mail.md). */
export class MailService {
	readonly outbox: MailOutbox;
	readonly receiver: MailReceiver;

	constructor(
		db: Db,
		notifier: SeqNotifier,
		private readonly settings: MailSettings,
		/** The file service's storage: Repositorio files to attach, received attachments. */
		readonly storage: FileStorage
	) {
		this.outbox = new MailOutbox(db, notifier, settings, storage);
		this.receiver = new MailReceiver(db, notifier, settings.pollSeconds, storage);
	}

	start(): void {
		if (!this.settings.enabled) return;
		this.outbox.start();
		this.receiver.start();
	}

	accountChanged(): void {
		if (!this.settings.enabled) return;
		this.receiver.restart();
		void this.outbox.wake();
	}

	receiverState(): ReceiverState {
		return this.settings.enabled ? this.receiver.state : { state: 'off' };
	}

	async stop(): Promise<void> {
		await Promise.all([this.outbox.stop(), this.receiver.stop()]);
	}
}
