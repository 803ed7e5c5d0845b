import { describe, expect, it } from 'vitest';
import { energies, roles, vehicleClasses, vehicleStatuses, driverStatuses } from '../types';
import { en } from './en';
import { format } from './index';
import { zhCN } from './zh-CN';

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const zhKeys = Object.keys(zhCN).sort();
  const enKeys = Object.keys(en).sort();

  it('English has every zh-CN key', () => {
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
  });

  it('English has no key zh-CN lacks', () => {
    expect(enKeys.filter((k) => !(k in zhCN))).toEqual([]);
  });

  it('no string is empty', () => {
    for (const [name, dict] of Object.entries({ 'zh-CN': zhCN, en })) {
      const empty = Object.entries(dict).filter(([, v]) => !v.trim()).map(([k]) => k);
      expect(empty, name).toEqual([]);
    }
  });

  it('both languages take the same {parameters}', () => {
    const zh = zhCN as Record<string, string>;
    const differ = zhKeys.filter((k) => params(zh[k]).join() !== params((en as Record<string, string>)[k]).join());
    expect(differ).toEqual([]);
  });

  it('every role, class, energy and status code has a name', () => {
    const codes = [
      ...roles.map((c) => `role.${c}`),
      ...vehicleClasses.map((c) => `class.${c}`),
      ...energies.map((c) => `energy.${c}`),
      ...vehicleStatuses.map((c) => `vstatus.${c}`),
      ...driverStatuses.map((c) => `dstatus.${c}`),
    ];
    expect(codes.filter((k) => !(k in zhCN))).toEqual([]);
  });

  it('the 2017 vehicle classes have their official Chinese names', () => {
    expect(zhCN['class.confidential_comm']).toBe('机要通信用车');
    expect(zhCN['class.emergency']).toBe('应急保障用车');
    expect(zhCN['class.law_enforcement']).toBe('执法执勤用车');
    expect(zhCN['class.special_technical']).toBe('特种专业技术用车');
    expect(zhCN['class.general']).toBe('其他公务用车');
  });

  it('the wrong-password message is the agreed one', () => {
    expect(zhCN['login.wrong']).toBe('用户名或密码错误');
    expect(en['login.wrong']).toBe('Wrong username or password');
  });
});

describe('format', () => {
  it('fills parameters and leaves unknown ones', () => {
    expect(format('请 {minutes} 分钟后再试 {x}', { minutes: 15 })).toBe('请 15 分钟后再试 {x}');
  });
});
