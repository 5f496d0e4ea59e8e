import { expect, test } from 'vitest';
import { lineOfPath, parsePath } from '../lib/yamlPath';

const VPC = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  # subnets by name
  subnets:
    default:
      subnet: 10.0.1.0/24
      gateway: 10.0.1.1
      vlan: 5000
      dhcp:
        enable: true
    "odd.name":
      vlan: 1001
  permit:
  - - default
    - other
`;

const CONN = `kind: Connection
spec:
  unbundled:
    link:
      server:
        port: server-01/enp2s1
      switch:
        port: leaf-01/E1/1
  ports:
  - name: a
    speed: 10G
  - name: b
    speed: 25G
description: |
  vlan: not a key
tail: x
`;

test('parses field paths', () => {
  expect(parsePath('spec.subnets.default.vlan')).toEqual(['spec', 'subnets', 'default', 'vlan']);
  expect(parsePath('spec.ports[1].speed')).toEqual(['spec', 'ports', 1, 'speed']);
  expect(parsePath('spec.subnets["odd.name"].vlan')).toEqual(['spec', 'subnets', 'odd.name', 'vlan']);
  expect(parsePath('(document)')).toEqual([]);
});

test('finds nested mapping keys', () => {
  expect(lineOfPath(VPC, 'metadata.name')).toBe(4);
  expect(lineOfPath(VPC, 'spec.subnets.default.vlan')).toBe(11);
  expect(lineOfPath(VPC, 'spec.subnets.default.dhcp.enable')).toBe(13);
  expect(lineOfPath(VPC, 'spec.subnets["odd.name"].vlan')).toBe(15);
});

test('finds sequence items, also at their key’s indentation', () => {
  expect(lineOfPath(CONN, 'spec.ports[0]')).toBe(10);
  expect(lineOfPath(CONN, 'spec.ports[1].speed')).toBe(13);
  expect(lineOfPath(CONN, 'spec.unbundled.link.switch.port')).toBe(8);
  expect(lineOfPath(VPC, 'spec.permit[0][1]')).toBe(17);
});

test('skips block scalars and falls back to the deepest known ancestor', () => {
  expect(lineOfPath(CONN, 'tail')).toBe(16);
  expect(lineOfPath(CONN, 'spec.ports[1].mtu')).toBe(12);
  expect(lineOfPath(VPC, 'spec.nothing')).toBe(5);
  expect(lineOfPath(VPC, 'nothing.at.all')).toBeNull();
});
