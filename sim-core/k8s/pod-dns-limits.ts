/**
 * The API server's limits on a pod's DNS config (validation.MaxDNSNameservers,
 * MaxDNSSearchPaths and MaxDNSSearchListChars; ExpandedDNSConfig, GA in 1.28).
 * Its own module, free of the YAML parser, so that forming a resolv.conf (which
 * the page does) does not pull the scenario loader into the page's first JS.
 */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
