import type { ErrorHost } from '../aggregate/proxysg.js';

/**
 * Policy candidates: hosts that presented invalid certificates, split into likely-trusted sites
 * an operator may exempt from certificate validation and unknown or risky sites to block.
 * The rules are deliberately simple and each decision carries its reason.
 */
export type PolicyAction = 'exempt' | 'block';

/** Threat risk at or above this (WebPulse scale 1–10) marks a host risky. */
export const RISKY_THREAT_LEVEL = 5;

/** Categories that make a host risky whatever its certificate error (compared case-insensitively). */
export const RISKY_CATEGORIES: readonly string[] = [
  'malicious sources/malnets',
  'malicious outbound data/botnets',
  'phishing',
  'suspicious',
  'scam/questionable/illegal',
  'potentially unwanted software',
  'spam',
  'proxy avoidance',
  'dynamic dns host',
  'placeholders',
  'compromised sites',
];

/** Categories that say nothing about the site. */
export const UNKNOWN_CATEGORIES: readonly string[] = ['none', 'unavailable', 'uncategorized', 'unrated', '-'];

/** Errors that no exemption should paper over. */
export const BLOCKING_ERRORS: readonly string[] = ['revoked'];

export interface PolicyDecision {
  action: PolicyAction;
  reason: string;
}

export function classifyHost(host: ErrorHost): PolicyDecision {
  // Sorted, so the reason named does not hang on the order the parts of a snapshot were merged in.
  const categories = [...host.categories.map.keys()].sort();
  const risky = categories.find((c) => RISKY_CATEGORIES.includes(c.toLowerCase()));
  if (risky) return { action: 'block', reason: `risky category ${risky}` };
  if (host.maxThreatRisk >= RISKY_THREAT_LEVEL) return { action: 'block', reason: `threat risk ${host.maxThreatRisk}` };
  const blocking = [...host.errors.map.keys()].sort().find((e) => BLOCKING_ERRORS.some((b) => e.includes(b)));
  if (blocking) return { action: 'block', reason: `certificate ${blocking}` };
  const known = categories.filter((c) => !UNKNOWN_CATEGORIES.includes(c.toLowerCase()));
  if (known.length === 0) return { action: 'block', reason: 'uncategorised site' };
  if (host.maxThreatRisk < 0) return { action: 'block', reason: 'threat risk unknown' };
  return { action: 'exempt', reason: `known category, threat risk ${host.maxThreatRisk}` };
}
