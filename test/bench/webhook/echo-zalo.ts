// The baseline of the Zalo OA webhook bench: a bare node:http handler that reads the event, checks its
// X-ZEvent-Signature (sha256 of app id + body + timestamp + OA secret key, as Zalo signs), answers 200 and sends
// ECHO_MESSAGES text messages back through the (fake) OA API, one after the other.
// Env: ECHO_PORT, ECHO_MESSAGES (default 1), ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY, ZALO_OA_API_BASE, ZALO_ACCESS_TOKEN.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const messages = Number(process.env.ECHO_MESSAGES ?? 1);
const appId = process.env.ZALO_OA_APP_ID ?? '';
const secret = process.env.ZALO_OA_SECRET_KEY ?? '';
const sendUrl = `${process.env.ZALO_OA_API_BASE ?? ''}/v3.0/oa/message/cs`;
const accessToken = process.env.ZALO_ACCESS_TOKEN ?? '';

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200).end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let event: { timestamp?: string; sender?: { id?: string }; message?: { text?: string } };
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const mac = createHash('sha256')
      .update(appId + body + String(event.timestamp) + secret)
      .digest('hex');
    if (req.headers['x-zevent-signature'] !== `mac=${mac}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200).end();
    void (async () => {
      for (let i = 0; i < messages; i++) {
        const sent = await fetch(sendUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', access_token: accessToken },
          body: JSON.stringify({ recipient: { user_id: event.sender?.id }, message: { text: event.message?.text } }),
        });
        await sent.arrayBuffer();
      }
    })();
  });
});
server.listen(Number(process.env.ECHO_PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
