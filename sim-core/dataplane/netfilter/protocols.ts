/**
 * Protocol and service names as iptables resolves them: through
 * getprotobyname/getservbyname, i.e. Debian netbase's /etc/protocols and
 * /etc/services, which is why iptables-save prints "-p igmp" for protocol 2
 * and `iptables -L` (without -n) prints "dpt:http-alt" for 8080. The tables
 * are copied from netbase 6.4 (Debian 12); services only the common ones.
 */

// name, number, alias: the columns of /etc/protocols.
const PROTOCOLS = `ip 0 IP;hopopt 0 HOPOPT;icmp 1 ICMP;igmp 2 IGMP;ggp 3 GGP;ipencap 4 IP-ENCAP;
st 5 ST;tcp 6 TCP;egp 8 EGP;igp 9 IGP;pup 12 PUP;udp 17 UDP;hmp 20 HMP;xns-idp 22 XNS-IDP;
rdp 27 RDP;iso-tp4 29 ISO-TP4;dccp 33 DCCP;xtp 36 XTP;ddp 37 DDP;idpr-cmtp 38 IDPR-CMTP;
ipv6 41 IPv6;ipv6-route 43 IPv6-Route;ipv6-frag 44 IPv6-Frag;idrp 45 IDRP;rsvp 46 RSVP;
gre 47 GRE;esp 50 IPSEC-ESP;ah 51 IPSEC-AH;skip 57 SKIP;ipv6-icmp 58 IPv6-ICMP;
ipv6-nonxt 59 IPv6-NoNxt;ipv6-opts 60 IPv6-Opts;rspf 73 RSPF;vmtp 81 VMTP;eigrp 88 EIGRP;
ospf 89 OSPFIGP;ax.25 93 AX.25;ipip 94 IPIP;etherip 97 ETHERIP;encap 98 ENCAP;pim 103 PIM;
ipcomp 108 IPCOMP;vrrp 112 VRRP;l2tp 115 L2TP;isis 124 ISIS;sctp 132 SCTP;fc 133 FC;
mobility-header 135 Mobility-Header;udplite 136 UDPLite;mpls-in-ip 137 MPLS-in-IP;
hip 139 HIP;shim6 140 Shim6;wesp 141 WESP;rohc 142 ROHC;ethernet 143 Ethernet`;

const byName = new Map<string, number>();
const byNumber = new Map<number, string>();
for (const entry of PROTOCOLS.split(/;\s*/)) {
  const [name, num, alias] = entry.trim().split(' ');
  const n = Number(num);
  byName.set(name, n);
  byName.set(alias, n);
  if (!byNumber.has(n)) byNumber.set(n, name);
}

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_SCTP = 132;

/** Protocol number for a name ("tcp", "TCP", "igmp"), or undefined. "all" is 0. */
export function protocolByName(name: string): number | undefined {
  if (name === 'all') return 0;
  return byName.get(name);
}

/**
 * The name iptables prints for a protocol number (proto_to_name in
 * iptables/xshared.c): getprotobynumber first, so 0 is never looked up and
 * prints as "all".
 */
export function protocolName(proto: number): string | undefined {
  if (proto === 0) return 'all';
  return byNumber.get(proto);
}

// /etc/services entries iptables users meet in Kubernetes rule sets.
const SERVICES: readonly (readonly [string, number])[] = [
  ['ftp-data', 20],
  ['ftp', 21],
  ['ssh', 22],
  ['telnet', 23],
  ['smtp', 25],
  ['domain', 53],
  ['bootps', 67],
  ['bootpc', 68],
  ['tftp', 69],
  ['http', 80],
  ['www', 80],
  ['kerberos', 88],
  ['pop3', 110],
  ['ntp', 123],
  ['imap2', 143],
  ['snmp', 161],
  ['ldap', 389],
  ['https', 443],
  ['syslog', 514],
  ['domain-s', 853],
  ['mysql', 3306],
  ['postgresql', 5432],
  ['http-alt', 8080],
];

export function serviceToPort(name: string): number | undefined {
  return SERVICES.find(([n]) => n === name)?.[1];
}

/** The first /etc/services name for a port, as getservbyport returns it. */
export function portToService(port: number): string | undefined {
  return SERVICES.find(([, p]) => p === port)?.[0];
}
