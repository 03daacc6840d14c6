/**
 * What a TLS client and server share: the sans-IO surface (bytes in, records
 * and plaintext out, never a socket or a clock), the record layer in both
 * directions, the transcript, alerts and the SSLKEYLOGFILE lines.
 */
import { TlsError, alertBytes, alertName } from './alerts.ts';
import type { AlertDescription } from './alerts.ts';
import { concat, toHex } from './bytes.ts';
import { HANDSHAKE_NAMES, HandshakeBuffer } from './messages.ts';
import type { HandshakeMessage } from './messages.ts';
import {
  CONTENT_ALERT,
  CONTENT_APPLICATION_DATA,
  CONTENT_CHANGE_CIPHER_SPEC,
  CONTENT_HANDSHAKE,
  CONTENT_NAMES,
  MAX_PLAINTEXT,
  Protection,
  RecordBuffer,
  plainRecord,
} from './record.ts';
import type { TlsRecord } from './record.ts';
import { trafficKeys } from './schedule.ts';
import type { CipherSuite } from './suites.ts';
import type { TlsFacts } from './facts.ts';

export type TlsEvent =
  /** Both Finished messages checked: application data may flow. */
  | 'handshake-done'
  /** A NewSessionTicket arrived (client) or was sent (server). */
  | 'session-ticket'
  /** The peer sent close_notify. */
  | 'close-notify'
  /** This endpoint sent a fatal alert and gave up (see `error`). */
  | 'alert-sent'
  /** The peer sent a fatal alert (see `error`). */
  | 'alert-received';

/** One record this endpoint wrote, and what it carries (for steps and narration). */
export interface TlsRecordInfo {
  readonly bytes: Uint8Array;
  /** The outer content type (23 for every protected record). */
  readonly contentType: number;
  /** What is inside: "Server Hello", "Change Cipher Spec", "Application Data", "Alert (close_notify)". */
  readonly content: string;
  readonly encrypted: boolean;
}

export interface TlsOutput {
  /** TLS records to write to the TCP socket, in order. */
  readonly send: Uint8Array[];
  /** The same records, described. */
  readonly records: TlsRecordInfo[];
  /** Decrypted application data, in order. */
  readonly data: Uint8Array[];
  readonly events: TlsEvent[];
}

export interface TlsFailure {
  readonly alert: string;
  readonly message: string;
  /** true: this endpoint sent the alert; false: the peer did. */
  readonly sent: boolean;
}

export type TlsState = 'start' | 'handshake' | 'connected' | 'closed' | 'failed';

export interface TlsEndpoint {
  readonly role: 'client' | 'server';
  readonly state: TlsState;
  readonly error: TlsFailure | undefined;
  /** Feed bytes read from TCP (any split: records are reassembled). */
  receive(bytes: Uint8Array): TlsOutput;
  /** Application data as protected records (each at most `maxFragment` bytes of plaintext). */
  write(data: Uint8Array): Uint8Array[];
  /** The close_notify alert record (RFC 8446 §6.1); the endpoint sends nothing after it. */
  close(): Uint8Array[];
  /** SSLKEYLOGFILE lines for the secrets derived so far (NSS key log format). */
  keylog(): string;
  /** What a step would say about this connection: SNI, suite, group, certificate… */
  facts(): TlsFacts;
}

const emptyOutput = (): TlsOutput => ({ send: [], records: [], data: [], events: [] });

export abstract class Endpoint implements TlsEndpoint {
  abstract readonly role: 'client' | 'server';
  state: TlsState = 'start';
  error: TlsFailure | undefined;
  protected suite: CipherSuite | undefined;
  protected readProt: Protection | undefined;
  protected writeProt: Protection | undefined;
  protected transcript: Uint8Array[] = [];
  protected clientRandom: Uint8Array | undefined;
  protected readonly secrets: [string, Uint8Array][] = [];
  private readonly records = new RecordBuffer();
  private readonly handshakes = new HandshakeBuffer();
  protected out: TlsOutput = emptyOutput();
  private ccsSeen = false;

  constructor(protected readonly maxFragment = MAX_PLAINTEXT) {
    if (maxFragment < 1 || maxFragment > MAX_PLAINTEXT) {
      throw new RangeError(`maxFragment ${maxFragment} is not within 1..${MAX_PLAINTEXT}`);
    }
  }

  abstract facts(): TlsFacts;
  /** Read through a method: onRecord changes the state, which TypeScript's narrowing cannot see. */
  private finished(): boolean {
    return this.state === 'failed' || this.state === 'closed';
  }
  protected abstract onHandshake(msg: HandshakeMessage): void;

  receive(bytes: Uint8Array): TlsOutput {
    this.out = emptyOutput();
    if (this.state === 'failed' || this.state === 'closed') return this.take();
    try {
      for (const rec of this.records.push(bytes)) {
        this.onRecord(rec);
        if (this.finished()) break;
      }
    } catch (e) {
      this.fail(e);
    }
    return this.take();
  }

  write(data: Uint8Array): Uint8Array[] {
    if (this.state !== 'connected' || !this.writeProt) {
      throw new Error(`TLS ${this.role}: cannot write application data while ${this.state}`);
    }
    const out: Uint8Array[] = [];
    for (let o = 0; o < data.length; o += this.maxFragment) {
      out.push(
        this.writeProt.seal(CONTENT_APPLICATION_DATA, data.subarray(o, o + this.maxFragment)),
      );
    }
    return out;
  }

  close(): Uint8Array[] {
    if (this.state === 'failed' || this.state === 'closed') return [];
    const rec = this.sealOrPlain(CONTENT_ALERT, alertBytes('close_notify'));
    this.state = 'closed';
    return [rec];
  }

  keylog(): string {
    if (!this.clientRandom) return '';
    const cr = toHex(this.clientRandom);
    return this.secrets.map(([label, s]) => `${label} ${cr} ${toHex(s)}\n`).join('');
  }

  // ---- for the client and server ----

  protected take(): TlsOutput {
    const o = this.out;
    this.out = emptyOutput();
    return o;
  }

  protected emit(bytes: Uint8Array, contentType: number, content: string, encrypted: boolean) {
    this.out.send.push(bytes);
    this.out.records.push({ bytes, contentType, content, encrypted });
  }

  /** A handshake message in its own record (as OpenSSL writes them), into the transcript. */
  protected sendHandshake(msg: Uint8Array, recordVersion = 0x0303): void {
    this.transcript.push(msg);
    const name = HANDSHAKE_NAMES[msg[0]] ?? `Handshake type ${msg[0]}`;
    if (this.writeProt) {
      this.emit(this.writeProt.seal(CONTENT_HANDSHAKE, msg), CONTENT_APPLICATION_DATA, name, true);
    } else {
      this.emit(plainRecord(CONTENT_HANDSHAKE, recordVersion, msg), CONTENT_HANDSHAKE, name, false);
    }
  }

  /** The middlebox-compatibility ChangeCipherSpec (RFC 8446 §D.4): one byte, 0x01, never protected. */
  protected sendChangeCipherSpec(): void {
    this.emit(
      plainRecord(CONTENT_CHANGE_CIPHER_SPEC, 0x0303, Uint8Array.of(1)),
      CONTENT_CHANGE_CIPHER_SPEC,
      'Change Cipher Spec',
      false,
    );
  }

  protected transcriptHash(): Uint8Array {
    return this.suite!.hash(concat(this.transcript));
  }

  protected setRead(secret: Uint8Array): void {
    this.readProt = new Protection(this.suite!, trafficKeys(this.suite!, secret));
  }

  protected setWrite(secret: Uint8Array): void {
    this.writeProt = new Protection(this.suite!, trafficKeys(this.suite!, secret));
  }

  protected log(label: string, secret: Uint8Array): void {
    this.secrets.push([label, secret]);
  }

  protected addHandshakeEvent(e: TlsEvent): void {
    this.out.events.push(e);
  }

  private onRecord(rec: TlsRecord): void {
    if (rec.type === CONTENT_CHANGE_CIPHER_SPEC) {
      // Only during the handshake, once, exactly 0x01 (§5: otherwise unexpected_message).
      if (
        this.state !== 'handshake' ||
        this.ccsSeen ||
        rec.fragment.length !== 1 ||
        rec.fragment[0] !== 1
      ) {
        throw new TlsError('unexpected_message', 'ChangeCipherSpec out of place');
      }
      this.ccsSeen = true;
      return;
    }
    let type = rec.type;
    let content = rec.fragment;
    if (this.readProt && !(rec.type === CONTENT_ALERT && content.length === 2)) {
      ({ type, content } = this.readProt.open(rec));
    } else if (rec.type === CONTENT_APPLICATION_DATA) {
      throw new TlsError('unexpected_message', 'application data before the handshake keys');
    }
    if (type === CONTENT_ALERT) return this.onAlert(content);
    if (type === CONTENT_HANDSHAKE) {
      for (const msg of this.handshakes.push(content)) this.onHandshake(msg);
      return;
    }
    if (type === CONTENT_APPLICATION_DATA) {
      if (this.state !== 'connected') {
        throw new TlsError('unexpected_message', 'application data before the handshake finished');
      }
      if (content.length > 0) this.out.data.push(content.slice());
      return;
    }
    throw new TlsError('unexpected_message', `inner content type ${type}`);
  }

  private onAlert(content: Uint8Array): void {
    if (content.length !== 2) throw new TlsError('decode_error', 'alert is not 2 bytes');
    if (content[1] === 0) {
      this.out.events.push('close-notify');
      this.state = 'closed';
      return;
    }
    this.state = 'failed';
    this.error = { alert: alertName(content[1]), message: 'alert from the peer', sent: false };
    this.out.events.push('alert-received');
  }

  private sealOrPlain(type: number, content: Uint8Array): Uint8Array {
    return this.writeProt ? this.writeProt.seal(type, content) : plainRecord(type, 0x0303, content);
  }

  protected fail(e: unknown): void {
    const err =
      e instanceof TlsError
        ? e
        : new TlsError(
            'decode_error' as AlertDescription,
            e instanceof Error ? e.message : String(e),
          );
    const rec = this.sealOrPlain(CONTENT_ALERT, alertBytes(err.alert));
    this.emit(
      rec,
      this.writeProt ? CONTENT_APPLICATION_DATA : CONTENT_ALERT,
      `Alert (${err.alert})`,
      !!this.writeProt,
    );
    this.state = 'failed';
    this.error = { alert: err.alert, message: err.message, sent: true };
    this.out.events.push('alert-sent');
  }
}

export const contentName = (type: number) => CONTENT_NAMES[type] ?? `type ${type}`;
