/**
 * The TLS layer as Wireshark 4.0's packet-tls.c shows it for one TCP
 * segment: each record that starts in it ("TLSv1.3 Record Layer: Handshake
 * Protocol: Client Hello"), its header, and for the plaintext handshake the
 * fields a student looks for (handshake type, random, session id, SNI, ALPN,
 * cipher suite). Protected records stay opaque ("Opaque Type: Application
 * Data (23)"), as in Wireshark without the keys. Like our stack, a record
 * version of 0x0303 after the hello is labelled TLSv1.3 (we only make TLS
 * 1.3). A segment that does not start with a record header is left as data.
 */
import type { Field, Layer } from './layers.ts';
import { colonHex, field, hex } from './describe-util.ts';

const CONTENT: Record<number, string> = {
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
};
const HANDSHAKE: Record<number, string> = {
  1: 'Client Hello',
  2: 'Server Hello',
  4: 'New Session Ticket',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  13: 'Certificate Request',
  15: 'Certificate Verify',
  20: 'Finished',
  24: 'Key Update',
};
const VERSIONS: Record<number, [string, string]> = {
  0x0301: ['TLS 1.0', 'TLSv1'],
  0x0302: ['TLS 1.1', 'TLSv1.1'],
  0x0303: ['TLS 1.2', 'TLSv1.2'],
  0x0304: ['TLS 1.3', 'TLSv1.3'],
};
const SUITES: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
};
const ALERTS: Record<number, string> = {
  0: 'Close Notify',
  10: 'Unexpected Message',
  20: 'Bad Record MAC',
  40: 'Handshake Failure',
  42: 'Bad Certificate',
  50: 'Decode Error',
  51: 'Decrypt Error',
  70: 'Protocol Version',
  112: 'Unrecognized Name',
  120: 'No Application Protocol',
};

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u24 = (b: Uint8Array, o: number) => (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
const versionText = (v: number) => `${VERSIONS[v]?.[0] ?? 'Unknown'} (${hex(v, 4)})`;

/** Does the segment payload at frame[base..end) start with a TLS record header? */
export function looksLikeTls(frame: Uint8Array, base: number, end: number): boolean {
  return (
    end - base >= 5 &&
    frame[base] >= 20 &&
    frame[base] <= 23 &&
    frame[base + 1] === 3 &&
    frame[base + 2] >= 1 &&
    frame[base + 2] <= 4
  );
}

interface RecordView {
  readonly type: number;
  readonly version: number;
  readonly length: number;
  readonly at: number;
  readonly complete: boolean;
}

function records(frame: Uint8Array, base: number, end: number): RecordView[] {
  const out: RecordView[] = [];
  let o = base;
  while (looksLikeTls(frame, o, end)) {
    const length = u16(frame, o + 3);
    out.push({
      type: frame[o],
      version: u16(frame, o + 1),
      length,
      at: o,
      complete: o + 5 + length <= end,
    });
    o += 5 + length;
  }
  return out;
}

function extensionFields(frame: Uint8Array, start: number, stop: number): Field[] {
  const out: Field[] = [];
  for (let o = start; o + 4 <= stop;) {
    const type = u16(frame, o);
    const len = u16(frame, o + 2);
    const data = o + 4;
    if (type === 0 && len >= 5) {
      const n = u16(frame, data + 3);
      const name = new TextDecoder().decode(frame.subarray(data + 5, data + 5 + n));
      out.push(field('tls.handshake.extensions_server_name', 'Server Name', name, data + 5, n));
    } else if (type === 16 && len >= 2) {
      for (let p = data + 2; p < data + len; p += 1 + frame[p]) {
        const s = new TextDecoder().decode(frame.subarray(p + 1, p + 1 + frame[p]));
        out.push(
          field('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol', s, p + 1, frame[p]),
        );
      }
    } else if (type === 43) {
      // ClientHello: a 1-byte list length; ServerHello: the one chosen version.
      const first = len === 2 ? data : data + 1;
      for (let p = first; p + 2 <= data + len; p += 2) {
        const v = u16(frame, p);
        out.push(
          field(
            'tls.handshake.extensions.supported_version',
            'Supported Version',
            versionText(v),
            p,
            2,
            {
              raw: hex(v, 4),
            },
          ),
        );
      }
    }
    o = data + len;
  }
  return out;
}

/** Fields of a ClientHello or ServerHello body starting at `b`. */
function helloFields(frame: Uint8Array, b: number, stop: number, server: boolean): Field[] {
  const v = u16(frame, b);
  const sidLen = frame[b + 34];
  const out: Field[] = [
    field('tls.handshake.version', 'Version', versionText(v), b, 2, { raw: hex(v, 4) }),
    field('tls.handshake.random', 'Random', colonHex(frame.subarray(b + 2, b + 34)), b + 2, 32),
    field('tls.handshake.session_id_length', 'Session ID Length', sidLen, b + 34, 1),
  ];
  if (sidLen) {
    out.push(
      field(
        'tls.handshake.session_id',
        'Session ID',
        colonHex(frame.subarray(b + 35, b + 35 + sidLen)),
        b + 35,
        sidLen,
      ),
    );
  }
  let o = b + 35 + sidLen;
  if (server) {
    const cs = u16(frame, o);
    out.push(
      field(
        'tls.handshake.ciphersuite',
        'Cipher Suite',
        `${SUITES[cs] ?? 'Unknown'} (${hex(cs, 4)})`,
        o,
        2,
        {
          raw: hex(cs, 4),
        },
      ),
    );
    o += 3;
  } else {
    const n = u16(frame, o);
    out.push(field('tls.handshake.cipher_suites_length', 'Cipher Suites Length', n, o, 2));
    o += 2 + n;
    o += 1 + frame[o];
  }
  if (o + 2 <= stop) {
    const extLen = u16(frame, o);
    out.push(field('tls.handshake.extensions_length', 'Extensions Length', extLen, o, 2));
    out.push(...extensionFields(frame, o + 2, Math.min(stop, o + 2 + extLen)));
  }
  return out;
}

function handshakeField(frame: Uint8Array, at: number, stop: number): Field {
  const type = frame[at];
  const len = u24(frame, at + 1);
  const name = HANDSHAKE[type] ?? `Unknown (${type})`;
  const kids: Field[] = [
    field('tls.handshake.type', 'Handshake Type', `${name} (${type})`, at, 1, {
      raw: String(type),
    }),
    field('tls.handshake.length', 'Length', len, at + 1, 3),
  ];
  const end = Math.min(stop, at + 4 + len);
  if ((type === 1 || type === 2) && end - at >= 39)
    kids.push(...helloFields(frame, at + 4, end, type === 2));
  return field('tls.handshake', 'Handshake Protocol', name, at, end - at, {
    raw: '',
    children: kids,
  });
}

function recordField(frame: Uint8Array, r: RecordView, end: number): Field {
  const stop = Math.min(end, r.at + 5 + r.length);
  const opaque = r.type === 23 && r.version === 0x0303;
  const kids: Field[] = [
    opaque
      ? field('tls.record.opaque_type', 'Opaque Type', 'Application Data (23)', r.at, 1, {
          raw: '23',
        })
      : field(
          'tls.record.content_type',
          'Content Type',
          `${CONTENT[r.type]} (${r.type})`,
          r.at,
          1,
          {
            raw: String(r.type),
          },
        ),
    field('tls.record.version', 'Version', versionText(r.version), r.at + 1, 2, {
      raw: hex(r.version, 4),
    }),
    field('tls.record.length', 'Length', r.length, r.at + 3, 2),
  ];
  const body = r.at + 5;
  let what = CONTENT[r.type];
  if (r.type === 22) {
    const hs = handshakeField(frame, body, stop);
    kids.push(hs);
    what = `Handshake Protocol: ${hs.value}`;
  } else if (r.type === 20) {
    kids.push(field('tls.change_cipher_spec', 'Change Cipher Spec Message', '', body, stop - body));
    what = 'Change Cipher Spec Protocol: Change Cipher Spec';
  } else if (r.type === 21 && r.length === 2) {
    const desc = frame[body + 1];
    kids.push(
      field(
        'tls.alert_message.desc',
        'Description',
        `${ALERTS[desc] ?? 'Unknown'} (${desc})`,
        body + 1,
        1,
        { raw: String(desc) },
      ),
    );
    what = `Alert (Level: ${frame[body] === 1 ? 'Warning' : 'Fatal'}, Description: ${ALERTS[desc] ?? desc})`;
  } else {
    kids.push(
      field(
        'tls.app_data',
        'Encrypted Application Data',
        colonHex(frame.subarray(body, stop)),
        body,
        stop - body,
      ),
    );
    what = 'Application Data Protocol: Application Data';
  }
  // A hello's record says its own version; later records are TLS 1.3's (0x0303 on the wire).
  const label = r.type === 22 ? (VERSIONS[r.version]?.[1] ?? 'TLS') : 'TLSv1.3';
  const cont = r.complete ? '' : ' [continues in the next segment]';
  return field('tls.record', `${label} Record Layer: ${what}${cont}`, '', r.at, stop - r.at, {
    raw: '',
    children: kids,
  });
}

/** The TLS layer for a TCP payload at frame[base..end), or undefined when it does not start with a record. */
export function tlsLayer(frame: Uint8Array, base: number, end: number): Layer | undefined {
  const recs = records(frame, base, end);
  if (recs.length === 0) return undefined;
  const last = recs[recs.length - 1];
  return {
    protocol: 'tls',
    title: 'Transport Layer Security',
    offset: base,
    length: Math.min(end, last.at + 5 + last.length) - base,
    fields: recs.map((r) => recordField(frame, r, end)),
  };
}

/** tshark's Info for a segment of TLS records: "Server Hello, Change Cipher Spec, Application Data". */
export function tlsInfo(payload: Uint8Array): string | undefined {
  const recs = records(payload, 0, payload.length);
  if (recs.length === 0) return undefined;
  return recs
    .map((r) => {
      if (r.type === 22) return HANDSHAKE[payload[r.at + 5]] ?? 'Handshake';
      if (r.type === 21 && r.length === 2)
        return `Alert (Level: ${payload[r.at + 5] === 1 ? 'Warning' : 'Fatal'}, Description: ${ALERTS[payload[r.at + 6]] ?? payload[r.at + 6]})`;
      return CONTENT[r.type];
    })
    .join(', ');
}
