/** The peer's IP, IPv4-mapped IPv6 written as IPv4 so both receivers name a client alike. */
export function clientAddress(remote: string | undefined): string {
  if (!remote) return 'unknown';
  return remote.startsWith('::ffff:') ? remote.slice(7) : remote;
}

/** The IP of a grpc-js peer string ("ipv4:1.2.3.4:5678", "ipv6:[::1]:5678", or "1.2.3.4:5678"). */
export function grpcPeerAddress(peer: string): string {
  const bare = peer.replace(/^ipv[46]:/, '');
  const bracket = /^\[([^\]]*)\]/.exec(bare);
  if (bracket) return clientAddress(bracket[1]);
  const colon = bare.lastIndexOf(':');
  return clientAddress(colon > 0 && bare.indexOf(':') === colon ? bare.slice(0, colon) : bare);
}
