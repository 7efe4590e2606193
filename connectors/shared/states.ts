/**
 * Indian state spellings ERPs use, translated to GST state codes: two-letter abbreviations (ISO 3166-2:IN
 * and the older vehicle-registration style, both still found in address masters) and state names
 * (current, pre-rename and `&` spellings, as Tally and ERPNext users type them).
 */
import { allStates } from '../../src/irp/masters/index.js';

export const STATE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  AN: '35',
  AP: '37',
  AR: '12',
  AS: '18',
  BR: '10',
  CG: '22',
  CT: '22',
  CH: '04',
  DH: '26',
  DN: '26',
  DD: '26',
  DL: '07',
  GA: '30',
  GJ: '24',
  HP: '02',
  HR: '06',
  JH: '20',
  JK: '01',
  KA: '29',
  KL: '32',
  LA: '38',
  LD: '31',
  MH: '27',
  ML: '17',
  MN: '14',
  MP: '23',
  MZ: '15',
  NL: '13',
  OD: '21',
  OR: '21',
  PB: '03',
  PY: '34',
  RJ: '08',
  SK: '11',
  TG: '36',
  TS: '36',
  TN: '33',
  TR: '16',
  UK: '05',
  UP: '09',
  UT: '05',
  WB: '19',
};

/** Names the IRP master does not spell, mapped to their state code. */
const ALIASES: Readonly<Record<string, string>> = {
  orissa: '21',
  pondicherry: '34',
  uttaranchal: '05',
  lakshadweep: '31',
  delhi: '07',
  newdelhi: '07',
  nctofdelhi: '07',
  dadraandnagarhaveli: '26',
  damananddiu: '26',
  andamanandnicobar: '35',
  telengana: '36',
};

const key = (name: string) =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]/g, '');

const BY_NAME: ReadonlyMap<string, string> = new Map([
  ...allStates().map((s): [string, string] => [key(s.name), s.code]),
  ...Object.entries(ALIASES),
]);

/** GST state code for a state name, or undefined. */
export function stateFromName(name: string | null | undefined): string | undefined {
  return name ? BY_NAME.get(key(name)) : undefined;
}

export function stateFromAbbreviation(abbr: string | null | undefined): string | undefined {
  return abbr ? STATE_ABBREVIATIONS[abbr.trim().toUpperCase()] : undefined;
}

/** ISO 3166 alpha-3 → alpha-2 for the countries ERPs here export to (D365 stores alpha-3). */
export const COUNTRY_ALPHA3: Readonly<Record<string, string>> = {
  IND: 'IN',
  ARE: 'AE',
  USA: 'US',
  DEU: 'DE',
  SGP: 'SG',
  GBR: 'GB',
  SAU: 'SA',
  BGD: 'BD',
  NPL: 'NP',
  LKA: 'LK',
  CHN: 'CN',
  JPN: 'JP',
  FRA: 'FR',
  NLD: 'NL',
  ITA: 'IT',
  AUS: 'AU',
  CAN: 'CA',
  MYS: 'MY',
  THA: 'TH',
  ZAF: 'ZA',
};

/** Country names as Tally and ERPNext list them → ISO alpha-2 (ExpDtls.CntCode). */
export const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  India: 'IN',
  'United Arab Emirates': 'AE',
  'United States': 'US',
  'United States of America': 'US',
  Germany: 'DE',
  Singapore: 'SG',
  'United Kingdom': 'GB',
  'Saudi Arabia': 'SA',
  Bangladesh: 'BD',
  Nepal: 'NP',
  'Sri Lanka': 'LK',
};
