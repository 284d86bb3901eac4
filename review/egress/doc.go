// Package egress builds the one HTTP client Loupe uses to reach other
// systems: decision callbacks, NCMEC's CyberTipline, and every outbound
// destination added later. Its destinations are typed in by admins or
// operators, so it must not become a way into the network Loupe runs in:
//
//   - it refuses, when connecting (after DNS resolution, so a name cannot
//     be re-pointed at an internal address after it was checked), every
//     address that is not public unicast: loopback, private (RFC 1918,
//     fc00::/7), link-local (169.254/16 with the cloud metadata address,
//     fe80::/10), unspecified, multicast, shared (100.64/10), reserved and
//     documentation ranges, and IPv6 forms that embed IPv4 addresses;
//   - it never follows a redirect (the signature headers would go along);
//   - it speaks https only, and uses no proxy from the environment (a proxy
//     would connect on Loupe's behalf, past the address check);
//   - its errors name only the class of failure (Classify), so a person
//     who sets a destination learns nothing about ports and hosts inside.
//
// Policy.AllowInsecure lifts the first and third rule for trying Loupe
// against local fakes (--allow-insecure-outbound); never in production.
//
// Infrastructure is the other policy, for the one destination an operator
// configures at start (the S3 endpoint for media): internal addresses are
// allowed, since that is where an operator's storage lives, but the client
// reaches that scheme and host only.
package egress
