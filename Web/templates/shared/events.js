// Reading a provider's streamed answer: server-sent events, one JSON object per `data:` line.

/**
 * Reads a server-sent event stream, calling `onEvent` with each `data:` line's JSON as it arrives.
 * @param {Response} response
 * @param {(data: any) => void} onEvent
 */
export async function readEvents(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      if (!line.startsWith('data:') || line.includes('[DONE]')) continue;
      try {
        onEvent(JSON.parse(line.slice(5)));
      } catch {
        // Not JSON: skip the line.
      }
    }
  }
}
