/**
 * The contract is declared by domain (shared/api/<domain>.ts) and merged in shared/api.ts; the
 * implementation likewise (main/api/<domain>.ts merged in main/api/stationApi.ts). A spread would
 * let one domain silently replace another's method of the same name, so the merge refuses it;
 * these tests hold it to that and check every method and stream has an implementation.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiDomains, methodNames, methods, streamNames, streams } from '../../../shared/api';
import { method, mergeDomainMaps, stream } from '../../../shared/api/define';
import { createDomainApis, createStationApi, type StationServices } from '../../../main/api/stationApi';

// The implementations only capture their services when created; none is called here.
const noServices = {} as StationServices;

describe('the StationApi contract merged from its domains', () => {
  it('declares every method and stream in exactly one domain', () => {
    const owners = new Map<string, string[]>();
    for (const [domain, part] of Object.entries(apiDomains)) {
      for (const name of [...Object.keys(part.methods), ...Object.keys(part.streams)]) owners.set(name, [...(owners.get(name) ?? []), domain]);
    }
    expect([...owners].filter(([, d]) => d.length > 1)).toEqual([]);
    const declared = (kind: 'methods' | 'streams') => Object.values(apiDomains).reduce((n, part) => n + Object.keys(part[kind]).length, 0);
    expect(methodNames).toHaveLength(declared('methods'));
    expect(streamNames).toHaveLength(declared('streams'));
    for (const [domain, part] of Object.entries(apiDomains)) {
      for (const [name, def] of Object.entries(part.methods)) expect(methods[name as keyof typeof methods], `${domain}.${name}`).toBe(def);
      for (const [name, def] of Object.entries(part.streams)) expect(streams[name as keyof typeof streams], `${domain}.${name}`).toBe(def);
    }
  });

  it('refuses a method or stream that two domains declare, naming both', () => {
    const a = { methods: { ping: method(z.object({}), z.object({}), 'a') }, streams: { s: stream(z.object({}), z.object({}), false, 'a') } };
    const b = { methods: { ping: method(z.object({}), z.object({}), 'b') }, streams: {} };
    const c = { methods: {}, streams: { s: stream(z.object({}), z.object({}), false, 'c') } };
    expect(() => mergeDomainMaps({ a, b }, 'methods')).toThrow(/"ping" is declared by two domains, a and b/);
    expect(() => mergeDomainMaps({ a, c }, 'streams')).toThrow(/stream "s" is declared by two domains, a and c/);
    expect(Object.keys(mergeDomainMaps({ b, c }, 'methods'))).toEqual(['ping']);
  });

  it('updateSettings changes only the fields it names (a partial of the defaulted schema reset the others)', () => {
    expect(methods.updateSettings.input.parse({ callsign: 'IU1ABC' })).toEqual({ callsign: 'IU1ABC' });
  });

  it('documents every method and stream', () => {
    for (const name of methodNames) expect(methods[name].doc, name).toMatch(/\w/);
    for (const name of streamNames) expect(streams[name].doc, name).toMatch(/\w/);
  });

  it('has an implementation of every method and stream, each in the domain that declares it', () => {
    const api = createStationApi(noServices);
    for (const name of methodNames) expect(typeof api[name], name).toBe('function');
    for (const name of streamNames) expect(typeof api.streams[name], name).toBe('function');
    expect(Object.keys(api).filter((k) => k !== 'streams').sort()).toEqual([...methodNames].sort());
    expect(Object.keys(api.streams).sort()).toEqual([...streamNames].sort());
    const impls = createDomainApis(noServices);
    expect(Object.keys(impls).sort()).toEqual(Object.keys(apiDomains).sort());
    for (const [domain, part] of Object.entries(apiDomains)) {
      const { streams: implStreams, ...implMethods } = impls[domain as keyof typeof impls];
      expect(Object.keys(implMethods).sort(), domain).toEqual(Object.keys(part.methods).sort());
      expect(Object.keys(implStreams).sort(), domain).toEqual(Object.keys(part.streams).sort());
    }
  });
});
