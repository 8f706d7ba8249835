// The browser SDK's relay sealing (Web/sdk/relay-sealing.js) under Node's WebCrypto, answering one
// JSON request per line, so a Swift test can check both directions against swift-crypto's HPKE:
//   {"op":"seal", publicKey, roomId, psk, requestId, frame}     -> {enc, ct}  (keeps the opener)
//   {"op":"openAnswer", requestId, frames:[{seq, ct}]}          -> {plaintexts:[base64 | {error}]}
//   {"op":"walletKey"}                                          -> {publicKey}
//   {"op":"openRequest", enc, ct, roomId, psk, requestId, answers:[base64]} -> {plaintext, frames:[{seq, ct}]}
//   {"op":"proof", publicKey, psk, proof}                       -> {proof, verified}
// Bytes travel as standard base64; keys and ciphertexts as the wire's base64url.

import { createInterface } from 'node:readline';
import { fromBase64, toBase64, toBase64Url } from '../../Web/sdk/bytes.js';
import { generateKeyPair } from '../../Web/sdk/hpke.js';
import { openRequest, pairingProof, sealRequest, verifyPairingProof } from '../../Web/sdk/relay-sealing.js';

const openers = new Map();
let wallet = null;

const room = (request) => ({ roomId: request.roomId, psk: fromBase64(request.psk) });

async function answer(request) {
  switch (request.op) {
    case 'seal': {
      const sealed = await sealRequest(fromBase64(request.frame), request.publicKey, request.requestId, room(request));
      openers.set(request.requestId, sealed.opener);
      return { enc: sealed.enc, ct: sealed.ct };
    }
    case 'openAnswer': {
      const opener = openers.get(request.requestId);
      const plaintexts = [];
      for (const frame of request.frames) {
        try {
          plaintexts.push(toBase64(await opener.open(frame.seq, frame.ct)));
        } catch (error) {
          plaintexts.push({ error: String(error.message ?? error) });
        }
      }
      return { plaintexts };
    }
    case 'walletKey':
      wallet = await generateKeyPair();
      return { publicKey: toBase64Url(wallet.publicKey) };
    case 'openRequest': {
      const opened = await openRequest(request.enc, request.ct, wallet, room(request));
      const sealer = opened.sealer(request.requestId);
      const frames = [];
      for (const text of request.answers) {
        const { sequence, ciphertext } = await sealer.seal(fromBase64(text));
        frames.push({ seq: sequence, ct: ciphertext });
      }
      return { plaintext: toBase64(opened.plaintext), frames };
    }
    case 'proof':
      return {
        proof: await pairingProof(request.publicKey, fromBase64(request.psk)),
        verified: await verifyPairingProof(request.proof, request.publicKey, fromBase64(request.psk)),
      };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let reply;
  try {
    reply = await answer(JSON.parse(line));
  } catch (error) {
    reply = { error: String(error?.message ?? error) };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
