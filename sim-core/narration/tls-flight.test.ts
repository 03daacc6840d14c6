/**
 * [TLS15] The TLS steps of the Ingress built-in say what each flight is:
 * the client's Change Cipher Spec + Finished, the server's two
 * NewSessionTickets (OpenSSL's default), and what the keys do on them.
 */
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from '../test/driver.ts';
import { narrate } from './index.ts';

const sim = simulate(publicScenario('ingress-https.yaml'));
const flights = sim.steps
  .filter((s) => s.action === 0 && s.facts.type === 'neigh.xmit')
  .map((s) => narrate(s.facts))
  .filter((n, i, all) => all.findIndex((x) => x.headline === n.headline) === i);

describe('[TLS15] TLS flights are named for what they carry', () => {
  it('ClientHello with SNI, certificate by SNI, client Finished, session tickets, close_notify', () => {
    const heads = flights.map((n) => n.headline);
    const at = (re: RegExp) => heads.findIndex((h) => re.test(h));
    const order = [
      /^host laptop opens TLS 1\.3: ClientHello for shop\.example$/,
      /^SNI shop\.example picks the certificate of default\/shop-tls$/,
      /^host laptop finishes the TLS handshake: Finished$/,
      /^pod ingress-nginx\/ingress-nginx-controller-\S+ sends 2 TLS session tickets$/,
      /^host laptop ends the TLS session: close_notify$/,
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const fin = flights[order[2]].explanation;
    expect(fin).toContain('Change Cipher Spec, Finished');
    expect(fin).toContain("client's handshake traffic key");
    expect(flights[order[3]].explanation).toContain("server's application traffic key");
    expect(heads.some((h) => / sends TLS: /.test(h))).toBe(false);
  });
});
