/**
 * One-click error scenarios of the console: each makes real calls to the sandbox with the console
 * session's credentials, shows them, and explains the code that came back. Two of them change state
 * that only the caller owns, instead of moving the shared sandbox clock: "expired token" ends the
 * session's own token now, "cancel after 24 h" back-dates an IRN the scenario itself has just generated.
 */
import type { ConsoleService, HttpTranscript } from './console-service.js';
import { invoiceFor } from './console-service.js';
import { explain, type ExplainedError } from './explanations.js';

export interface ScenarioResult {
  name: string;
  title: string;
  expected: string;
  got: string[];
  explanation: ExplainedError;
  what: string;
  transcripts: { label: string; transcript: HttpTranscript }[];
}

export const SCENARIOS = [
  {
    name: 'wrong-credentials',
    title: 'Wrong credentials',
    expected: '1019',
    what: 'Logs in with your user name and a wrong password.',
  },
  {
    name: 'missing-field',
    title: 'Missing mandatory field',
    expected: '2155',
    what: 'Generates an IRN for an invoice without SellerDtls.Gstin.',
  },
  {
    name: 'no-token',
    title: 'Call without a valid token',
    expected: '1005',
    what: 'Calls Get GSTIN details without the AuthToken header.',
  },
  {
    name: 'expired-token',
    title: 'Expired token',
    expected: '1005',
    what: 'Ends your token now (as if its hour had passed), calls with it, then logs you in again.',
  },
  {
    name: 'bad-encryption',
    title: 'Bad encryption',
    expected: '3009',
    what: 'Encrypts an invoice with a random key instead of your SEK.',
  },
  {
    name: 'duplicate-irn',
    title: 'Duplicate IRN',
    expected: '2150',
    what: 'Generates the same document twice; the second answer carries the first IRN in InfoDtls (DUPIRN).',
  },
  {
    name: 'cancel-after-24h',
    title: 'Cancel after 24 hours',
    expected: '2270',
    what: 'Generates an IRN, back-dates its acknowledgement by 25 hours, then cancels it.',
  },
] as const;

export type ScenarioName = (typeof SCENARIOS)[number]['name'];

export async function runScenario(
  console_: ConsoleService,
  binding: string,
  name: string,
  deps: {
    now: () => Date;
    expireToken(token: string, clientId: string, userName: string): boolean;
    backdateIrn(irn: string, gstin: string, ms: number): boolean;
  },
): Promise<{ ok: true; value: ScenarioResult } | { ok: false; error: string }> {
  const spec = SCENARIOS.find((s) => s.name === name);
  if (!spec) return { ok: false, error: `Unknown scenario ${name}.` };
  const session = console_.sessionFor(binding);
  if (!session?.authToken) return { ok: false, error: 'Log in first: scenarios use your console session.' };
  const transcripts: { label: string; transcript: HttpTranscript }[] = [];
  const send = async (label: string, slug: string, input: Parameters<ConsoleService['send']>[2]) => {
    const r = await console_.send(binding, slug, input);
    if (!r.ok) throw new Error(r.error);
    transcripts.push({ label, transcript: r.value });
    return r.value;
  };
  const invoice = () =>
    invoiceFor('b2b-inter-state.request.json', session.creds.gstin, deps.now()) as Record<
      string,
      Record<string, unknown>
    >;
  const gstin = session.creds.gstin;

  switch (spec.name) {
    case 'wrong-credentials': {
      const r = await console_.loginWithPassword(binding, `${session.creds.password}-wrong`);
      if (r) transcripts.push({ label: 'Auth with a wrong password', transcript: r });
      break;
    }
    case 'missing-field': {
      const inv = invoice();
      delete inv.SellerDtls!.Gstin;
      await send('Generate IRN without SellerDtls.Gstin', 'generate-irn', { payload: JSON.stringify(inv) });
      break;
    }
    case 'no-token':
      await send('Get GSTIN details without AuthToken', 'gstin-details', {
        params: { gstin },
        omitToken: true,
      });
      break;
    case 'expired-token': {
      deps.expireToken(session.authToken, session.creds.clientId, session.creds.userName);
      await send('Get GSTIN details with the expired token', 'gstin-details', { params: { gstin } });
      const again = await console_.relogin(binding);
      if (again.ok)
        transcripts.push({ label: 'Logged in again: a new token', transcript: again.value.transcript });
      break;
    }
    case 'bad-encryption':
      await send('Generate IRN encrypted with a random key', 'generate-irn', {
        payload: JSON.stringify(invoice()),
        wrongKey: true,
      });
      break;
    case 'duplicate-irn': {
      const inv = JSON.stringify(invoice());
      await send('Generate IRN', 'generate-irn', { payload: inv });
      await send('The same document again', 'generate-irn', { payload: inv });
      break;
    }
    case 'cancel-after-24h': {
      const generated = await send('Generate IRN', 'generate-irn', { payload: JSON.stringify(invoice()) });
      const irn = (generated.decrypted as { Irn?: string } | undefined)?.Irn;
      if (!irn) break;
      deps.backdateIrn(irn, gstin, 25 * 60 * 60 * 1000);
      await send('Cancel it (acknowledged 25 hours ago)', 'cancel-irn', {
        payload: JSON.stringify({ Irn: irn, CnlRsn: '2', CnlRem: 'Data entry mistake' }),
      });
      break;
    }
  }
  const last =
    transcripts.filter((t) => t.transcript.errors.length > 0).at(-1)?.transcript ??
    transcripts.at(-1)?.transcript;
  const got = last?.errors.map((e) => e.code) ?? [];
  return {
    ok: true,
    value: {
      name: spec.name,
      title: spec.title,
      expected: spec.expected,
      got,
      explanation: explain(got[0] ?? spec.expected),
      what: spec.what,
      transcripts,
    },
  };
}
