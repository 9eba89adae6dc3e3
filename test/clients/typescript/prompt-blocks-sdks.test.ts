import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageProxyClient, type UploadAnswer } from '../../../clients/typescript/src/index.ts';
import { startLocalServer, type LocalServer } from '../../../infra/local/local-server';
import { refuseNonLoopbackConnections } from '../../support/loopback-only';
import { smoothJpeg } from '../../support/model-ready-fixtures';
import { makeTempDir } from '../../support/temp-dir';
import { requestsOf } from './prompt-blocks-sdk-types.ts';

const KEY = 'sdk-blocks-key-51c0';

/** What a provider SDK sent: the path and the parsed JSON body. */
interface Recorded {
  readonly path: string;
  readonly body: any;
}

/**
 * A loopback stand-in for the three providers' APIs: records each request's JSON body and answers
 * the smallest reply each SDK parses without complaint.
 */
async function startRecorder(): Promise<{ origin: string; seen: Recorded[]; server: Server }> {
  const seen: Recorded[] = [];
  const replies: [RegExp, unknown][] = [
    [/\/chat\/completions$/, { id: 'c1', object: 'chat.completion', choices: [], created: 0, model: 'm' }],
    [/\/responses$/, { id: 'r1', object: 'response', output: [], created_at: 0, model: 'm' }],
    [/\/messages$/, { id: 'm1', type: 'message', role: 'assistant', content: [], model: 'm' }],
    [/:generateContent$/, { candidates: [] }],
  ];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://recorder.invalid').pathname;
      seen.push({ path, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const reply = replies.find(([pattern]) => pattern.test(path))?.[1];
      res.writeHead(reply ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply ?? { error: 'no such route' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const dir = makeTempDir('prompt-blocks-sdks');
let guard: ReturnType<typeof refuseNonLoopbackConnections>;
let local: LocalServer;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
let answer: UploadAnswer;

beforeAll(async () => {
  guard = refuseNonLoopbackConnections();
  [local, recorder] = await Promise.all([
    startLocalServer({ port: 0, dataDir: join(dir.path, 'data'), clients: new Map([['alice', KEY]]) }),
    startRecorder(),
  ]);
  const client = new ImageProxyClient({ apiUrl: local.apiUrl, apiKey: KEY });
  answer = await client.upload(await smoothJpeg(800, 600), { inline: true });
});

afterAll(async () => {
  await local?.close();
  recorder?.server.close();
  guard?.restore();
  dir.remove();
});

describe('prompt blocks sent by the providers’ own SDKs', () => {
  it.each([
    ['by URL', 0],
    ['inline', 1],
  ])('each SDK sends the %s image part exactly as the upload answered it', async (_kind, index) => {
    // Prepare
    const requests = requestsOf(answer)[index]!;
    const blocks = index === 0 ? answer.prompt : answer.promptInline!;
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${recorder.origin}/v1`, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: recorder.origin, maxRetries: 0 });
    const google = new GoogleGenAI({ apiKey: 'g-test', httpOptions: { baseUrl: recorder.origin } });
    const from = recorder.seen.length;

    // Act
    await openai.chat.completions.create(requests.openaiChat);
    await openai.responses.create(requests.openaiResponses);
    await anthropic.messages.create(requests.anthropic);
    await google.models.generateContent(requests.gemini);

    // Assess
    const sent = recorder.seen.slice(from);
    expect(sent.map((r) => r.path)).toEqual([
      '/v1/chat/completions',
      '/v1/responses',
      '/v1/messages',
      expect.stringMatching(/^\/v1[a-z0-9]*\/models\/gemini-3-pro:generateContent$/),
    ]);
    const [chat, responses, messages, gemini] = sent.map((r) => r.body);
    expect(chat.messages[0].content[1]).toEqual(blocks.openaiChat);
    expect(responses.input[0].content[1]).toEqual(blocks.openaiResponses);
    expect(messages.messages[0].content[0]).toEqual(blocks.anthropic);
    expect(gemini.contents[0].parts[0]).toEqual(blocks.gemini);
    // The part carries the served image itself: its URL, or its very bytes.
    const image = index === 0 ? answer.url : answer.base64!;
    for (const body of [chat, responses, messages, gemini]) expect(JSON.stringify(body)).toContain(image);
  });

  it('answers blocks for all four APIs, by URL and inline, for a JPEG', () => {
    // Assess
    for (const blocks of [answer.prompt, answer.promptInline!])
      expect(Object.keys(blocks)).toEqual(['openaiChat', 'openaiResponses', 'anthropic', 'gemini']);
    expect(guard.refused).toEqual([]);
  });
});
