import { describe, expect, it } from 'vitest';
import { senderOf } from '#domain/rate-limit.ts';

describe('senderOf', () => {
  it('counts an IPv4 address as it is', () => {
    expect(senderOf('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts the addresses of one IPv6 /64 as one sender, however they are written', () => {
    const network = '2001:db8:1:2::/64';
    expect(senderOf('2001:db8:1:2::1')).toBe(network);
    expect(senderOf('2001:0DB8:0001:0002:ffff:0:0:9')).toBe(network);
    expect(senderOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(senderOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(senderOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('counts an IPv4 address written as IPv6 as that IPv4 address', () => {
    expect(senderOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts anything that is not an address in one shared sender, so it cannot make new counters', () => {
    for (const odd of ['', 'unknown#x', '<script>', '1:2:3:4:5:6:7:8:9', '127.1', '0x7f.0.0.1']) expect(senderOf(odd), odd).toBe('unknown');
  });
});
