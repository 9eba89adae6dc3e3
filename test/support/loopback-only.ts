import { lookup as dnsLookup } from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { isLoopbackAddress } from '../../lambdas/core/source-address';

/**
 * Until `restore()`, every socket this process opens may reach loopback only: a connection to
 * any other address, written or resolved, fails before it is attempted (the lookup's answer is
 * checked before the socket connects) and is recorded in `refused`. Tests of the source guard
 * run under it, so a guard that failed to refuse shows up as a recorded attempt, never as
 * traffic leaving the machine.
 */
export function refuseNonLoopbackConnections(): { refused: string[]; restore: () => void } {
  const refused: string[] = [];
  const original = net.Socket.prototype.connect;
  const refuse = (socket: net.Socket, target: string) => {
    refused.push(target);
    const err: NodeJS.ErrnoException = new Error(`test refused a connection outside loopback: ${target}`);
    err.code = 'ECONNREFUSED';
    process.nextTick(() => socket.destroy(err));
    return socket;
  };
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: any[]) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = typeof first === 'object' && first !== null ? first : undefined;
    if (options?.path !== undefined) return original.apply(this, args as never);
    const host: string = options
      ? (options.host ?? 'localhost')
      : typeof args[1] === 'string'
        ? args[1]
        : 'localhost';
    if (net.isIP(host) !== 0) {
      if (!isLoopbackAddress(host)) return refuse(this, host);
    } else if (options) {
      const lookup: LookupFunction = options.lookup ?? dnsLookup;
      options.lookup = ((hostname, lookupOptions, callback) =>
        lookup(hostname, lookupOptions, (err, address, family) => {
          if (err) return callback(err, address, family);
          const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
          const outside = addresses.find((entry) => !isLoopbackAddress(entry));
          if (outside === undefined) return callback(null, address, family);
          refused.push(`${hostname} -> ${outside}`);
          const refusal: NodeJS.ErrnoException = new Error('test refused a name resolved outside loopback');
          refusal.code = 'ECONNREFUSED';
          callback(refusal, '', 4);
        })) as LookupFunction;
    } else if (host !== 'localhost') {
      return refuse(this, host);
    }
    return original.apply(this, args as never);
  } as typeof original;
  return {
    refused,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
