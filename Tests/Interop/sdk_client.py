#!/usr/bin/env python3
"""Drives an official provider SDK against a base URL and prints what the SDK understood.

The SDKs' strict parsers referee Byoky's output: if a body or stream is not exactly what the real
provider sends, the SDK raises or returns the wrong thing.

Reads one JSON request on stdin:
  {"family": "anthropic|openai|gemini|cohere", "base_url": ..., "api_key": ..., "model": ...,
   "mode": "plain|stream|models|count|responses|responses-stream|embeddings|moderations|images|stored|transcribe|files",
   "tools": bool,
   "prompt": "..."}
Prints one JSON object:
  {"text": ..., "tool_name": ..., "tool_args": {...}, "stop_reason": ..., "input_tokens": n,
   "output_tokens": n}
On an API error prints {"error_status": n, "error_type": "<SDK exception class>", "message": ...}.

With --serve it answers one request per line of stdin with one line of stdout, until stdin ends:
the tests keep a few of these running, so the SDKs are imported once, not once per request.
"""
import json
import sys

WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
    "required": ["city", "days"],
}


def run_anthropic(req):
    import anthropic

    client = anthropic.Anthropic(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
    kwargs = dict(
        model=req["model"], max_tokens=256, messages=[{"role": "user", "content": req["prompt"]}]
    )
    if req.get("tools"):
        kwargs["tools"] = [{"name": "get_weather", "description": "Weather", "input_schema": WEATHER_SCHEMA}]
    try:
        if req["mode"] == "stream":
            with client.messages.stream(**kwargs) as stream:
                for _ in stream:
                    pass
                message = stream.get_final_message()
        else:
            message = client.messages.create(**kwargs)
    except anthropic.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    result = {
        "stop_reason": message.stop_reason,
        "input_tokens": message.usage.input_tokens,
        "output_tokens": message.usage.output_tokens,
        "text": "".join(b.text for b in message.content if b.type == "text"),
    }
    calls = [block for block in message.content if block.type == "tool_use"]
    if calls:
        result["tool_name"] = calls[0].name
        result["tool_args"] = calls[0].input
        result["tool_calls"] = [{"id": c.id, "name": c.name, "args": c.input} for c in calls]
    return result


def run_openai(req):
    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
    kwargs = dict(model=req["model"], messages=[{"role": "user", "content": req["prompt"]}])
    if req.get("tools"):
        kwargs["tools"] = [
            {"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": WEATHER_SCHEMA}}
        ]
    try:
        if req["mode"] == "stream":
            text, finish, usage, calls = "", None, None, {}
            stream = client.chat.completions.create(stream=True, stream_options={"include_usage": True}, **kwargs)
            for chunk in stream:
                if chunk.usage:
                    usage = chunk.usage
                for choice in chunk.choices:
                    if choice.delta.content:
                        text += choice.delta.content
                    for call in choice.delta.tool_calls or []:
                        entry = calls.setdefault(call.index, {"name": "", "arguments": ""})
                        if call.function and call.function.name:
                            entry["name"] = call.function.name
                        if call.function and call.function.arguments:
                            entry["arguments"] += call.function.arguments
                    if choice.finish_reason:
                        finish = choice.finish_reason
            result = {"text": text, "stop_reason": finish}
            if usage:
                result["input_tokens"] = usage.prompt_tokens
                result["output_tokens"] = usage.completion_tokens
            if calls:
                first = calls[min(calls)]
                result["tool_name"] = first["name"]
                result["tool_args"] = json.loads(first["arguments"])
            # Without stream_options no chunk may lack a choice: strict code reads choices[0].
            for chunk in client.chat.completions.create(stream=True, **kwargs):
                if not chunk.choices:
                    return {"error_status": 0, "error_type": "UnaskedUsageChunk", "message": "a chunk without choices"}
                chunk.choices[0].delta
            # The SDK's own accumulator (`chat.completions.stream`) must build the same answer.
            with client.chat.completions.stream(**kwargs) as helper:
                for _ in helper:
                    pass
                final = helper.get_final_completion().choices[0]
            accumulated = {"text": final.message.content or "", "stop_reason": final.finish_reason}
            if final.message.tool_calls:
                accumulated["tool_name"] = final.message.tool_calls[0].function.name
                accumulated["tool_args"] = json.loads(final.message.tool_calls[0].function.arguments)
            for name, value in accumulated.items():
                if result.get(name, "" if name == "text" else None) != value:
                    return {"error_status": 0, "error_type": "AccumulatorDisagrees",
                            "message": f"{name}: {value!r} against {result.get(name)!r}"}
            return result
        completion = client.chat.completions.create(**kwargs)
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    choice = completion.choices[0]
    result = {
        "text": choice.message.content or "",
        "stop_reason": choice.finish_reason,
        "input_tokens": completion.usage.prompt_tokens,
        "output_tokens": completion.usage.completion_tokens,
    }
    if choice.message.tool_calls:
        call = choice.message.tool_calls[0]
        result["tool_name"] = call.function.name
        result["tool_args"] = json.loads(call.function.arguments)
    return result


def run_openai_responses(req):
    """mode "responses" / "responses-stream": OpenAI's Responses API, the one new OpenAI apps and
    agents use; streamed through the SDK's own accumulator (`responses.stream`), which refuses an
    event sequence the API would not send. Prints what `run_openai` prints, plus the streamed
    event types under "events"."""
    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
    kwargs = dict(model=req["model"], input=req["prompt"])
    if req.get("tools"):
        kwargs["tools"] = [
            {"type": "function", "name": "get_weather", "description": "Weather", "parameters": WEATHER_SCHEMA}
        ]
    events = []
    try:
        if req["mode"] == "responses-stream":
            with client.responses.stream(**kwargs) as stream:
                events = [event.type for event in stream]
                response = stream.get_final_response()
        else:
            response = client.responses.create(**kwargs)
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    result = {
        "text": response.output_text,
        "stop_reason": response.status,
        "input_tokens": response.usage.input_tokens,
        "output_tokens": response.usage.output_tokens,
        "events": events,
    }
    calls = [item for item in response.output if item.type == "function_call"]
    if calls:
        result["tool_name"] = calls[0].name
        result["tool_args"] = json.loads(calls[0].arguments)
    return result


def run_openai_embeddings(req):
    """mode "embeddings": OpenAI's embeddings of two texts with the official SDK (which asks for
    base64 and decodes it). Prints {"count": n, "dimensions": n, "input_tokens": n}."""
    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
    try:
        answer = client.embeddings.create(model=req["model"], input=[req["prompt"], req["prompt"] + " again"])
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    return {
        "count": len(answer.data),
        "dimensions": len(answer.data[0].embedding),
        "input_tokens": answer.usage.prompt_tokens,
    }


def run_openai_moderations(req):
    """mode "moderations": OpenAI's moderation of a text with the official SDK, whose models the
    answer must satisfy. Prints {"count": n, "flagged": bool, "categories": n, "model": id}."""
    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
    try:
        answer = client.moderations.create(model=req["model"], input=req["prompt"])
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    first = answer.results[0]
    return {
        "count": len(answer.results),
        "flagged": first.flagged,
        "categories": len(first.categories.model_dump(by_alias=True)),
        "harassment_score": first.category_scores.harassment,
        "model": answer.model,
    }


def run_openai_images(req):
    """mode "images": OpenAI's image generation (two 1024x1024 images) and an edit (a PNG of
    `width` x `height`, its header and filler bytes, uploaded as form data) with the official
    SDK, whose models the answers must satisfy. Prints {"generated": n, "generated_b64": bool,
    "generated_total": tokens, "edited": n, "edited_total": tokens, "edited_image_tokens": n}."""
    import struct

    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
    width, height = req.get("width", 1024), req.get("height", 1024)
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height)
    png += bytes([8, 6, 0, 0, 0]) + bytes(i * 7 % 251 for i in range(req.get("size", 100_000)))
    try:
        generated = client.images.generate(model=req["model"], prompt=req["prompt"], n=2, size="1024x1024")
        edited = client.images.edit(model=req["model"], image=("photo.png", png, "image/png"), prompt=req["prompt"])
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    return {
        "generated": len(generated.data),
        "generated_b64": bool(generated.data[0].b64_json),
        "generated_total": generated.usage.total_tokens if generated.usage else None,
        "edited": len(edited.data),
        "edited_total": edited.usage.total_tokens if edited.usage else None,
        "edited_image_tokens": edited.usage.input_tokens_details.image_tokens if edited.usage else None,
    }


def run_openai_stored(req):
    """mode "stored": what OpenAI keeps, with the official SDK: a response made and read back, a
    chat completion made with `store=True`, read back and its metadata changed, a conversation
    made and an item added, each parsed by the SDK's own models; with `background`, a response
    made in the background and read back finished. Prints {"response_tokens": n,
    "read_response_tokens": n, "completion_tokens": n, "read_completion_tokens": n,
    "updated_metadata": {...}, "conversation": id, "items": n}."""
    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=0)
    try:
        made = client.responses.create(model=req["model"], input=req["prompt"], max_output_tokens=64)
        read = client.responses.retrieve(made.id)
        chat = client.chat.completions.create(
            model=req["model"], store=True, max_tokens=64, messages=[{"role": "user", "content": req["prompt"]}]
        )
        read_chat = client.chat.completions.retrieve(chat.id)
        updated = client.chat.completions.update(chat.id, metadata={"topic": "the sea"})
        conversation = client.conversations.create(metadata={"topic": "the sea"})
        items = client.conversations.items.create(
            conversation.id,
            items=[{"type": "message", "role": "user", "content": [{"type": "input_text", "text": req["prompt"]}]}],
        )
        background = None
        if req.get("background"):
            queued = client.responses.create(model=req["model"], input=req["prompt"], background=True)
            finished = client.responses.retrieve(queued.id)
            background = {
                "status": queued.status,
                "usage": queued.usage is not None,
                "read_status": finished.status,
                "read_tokens": finished.usage.total_tokens,
            }
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    return {
        "background": background,
        "response_tokens": made.usage.total_tokens,
        "read_response_tokens": read.usage.total_tokens,
        "read_response_text": read.output_text,
        "response_text": made.output_text,
        "completion_tokens": chat.usage.total_tokens,
        "read_completion_tokens": read_chat.usage.total_tokens,
        "updated_metadata": updated.metadata,
        "conversation": conversation.id,
        "items": len(items.data),
    }


def run_openai_transcribe(req):
    """mode "transcribe": OpenAI's transcription of the audio file at `path` (named `filename`)
    with the official SDK, as plain text (`response_format="text"`, an answer with no usage).
    Prints {"text": transcript}."""
    import openai

    client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=0)
    with open(req["path"], "rb") as audio:
        content = audio.read()
    try:
        text = client.audio.transcriptions.create(
            model=req["model"], file=(req["filename"], content), response_format="text"
        )
    except openai.APIStatusError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
    return {"text": text if isinstance(text, str) else getattr(text, "text", str(text))}


def run_gemini(req):
    from google import genai
    from google.genai import errors, types

    client = genai.Client(api_key=req["api_key"], http_options=types.HttpOptions(base_url=req["base_url"]))
    config = None
    if req.get("tools"):
        config = types.GenerateContentConfig(
            tools=[
                types.Tool(
                    function_declarations=[
                        types.FunctionDeclaration(name="get_weather", description="Weather", parameters=WEATHER_SCHEMA)
                    ]
                )
            ],
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        )
    try:
        if req["mode"] == "stream":
            chunks = list(client.models.generate_content_stream(model=req["model"], contents=req["prompt"], config=config))
        else:
            chunks = [client.models.generate_content(model=req["model"], contents=req["prompt"], config=config)]
    except errors.APIError as error:
        return {"error_status": error.code, "error_type": type(error).__name__, "message": error.message}
    text, result = "", {}
    for chunk in chunks:
        for candidate in chunk.candidates or []:
            if candidate.finish_reason:
                result["stop_reason"] = candidate.finish_reason.name if hasattr(candidate.finish_reason, "name") else str(candidate.finish_reason)
            for part in (candidate.content.parts if candidate.content else None) or []:
                if part.text:
                    text += part.text
                if part.function_call:
                    result["tool_name"] = part.function_call.name
                    result["tool_args"] = dict(part.function_call.args or {})
        if chunk.usage_metadata:
            result["input_tokens"] = chunk.usage_metadata.prompt_token_count
            result["output_tokens"] = (chunk.usage_metadata.candidates_token_count or 0) + (
                chunk.usage_metadata.thoughts_token_count or 0
            )
    result["text"] = text
    return result


def run_gemini_files(req):
    """Uploads the prompt as a text file with the SDK's resumable upload, reads it back by name,
    lists the files, and deletes it."""
    import io

    from google import genai
    from google.genai import errors, types

    client = genai.Client(api_key=req["api_key"], http_options=types.HttpOptions(base_url=req["base_url"]))
    content = req["prompt"].encode()
    try:
        uploaded = client.files.upload(
            file=io.BytesIO(content), config=types.UploadFileConfig(mime_type="text/plain", display_name="notes")
        )
        fetched = client.files.get(name=uploaded.name)
        listed = [item.name for item in client.files.list()]
        client.files.delete(name=uploaded.name)
    except errors.APIError as error:
        return {"error_status": error.code, "error_type": type(error).__name__, "message": error.message}
    return {
        "name": uploaded.name,
        "size_bytes": uploaded.size_bytes,
        "mime_type": uploaded.mime_type,
        "display_name": uploaded.display_name,
        "state": uploaded.state.name if uploaded.state else None,
        "fetched_name": fetched.name,
        "fetched_size_bytes": fetched.size_bytes,
        "listed": listed,
    }


def run_cohere(req):
    import cohere

    client = cohere.ClientV2(api_key=req["api_key"], base_url=req["base_url"])
    kwargs = dict(model=req["model"], messages=[{"role": "user", "content": req["prompt"]}])
    if req.get("tools"):
        kwargs["tools"] = [
            {"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": WEATHER_SCHEMA}}
        ]
    try:
        if req["mode"] == "stream":
            text, result, calls = "", {}, []
            for event in client.chat_stream(**kwargs):
                if event.type == "content-delta":
                    text += event.delta.message.content.text
                elif event.type == "tool-call-start":
                    call = event.delta.message.tool_calls
                    if event.index != len(calls):
                        return {"error_status": 0, "error_type": "BadToolCallIndex", "message": str(event.index)}
                    calls.append({"id": call.id, "name": call.function.name, "args": call.function.arguments or ""})
                elif event.type == "tool-call-delta":
                    if event.index != len(calls) - 1:
                        return {"error_status": 0, "error_type": "InterleavedToolCall", "message": str(event.index)}
                    calls[-1]["args"] += event.delta.message.tool_calls.function.arguments
                elif event.type == "message-end":
                    result["stop_reason"] = event.delta.finish_reason
                    result["input_tokens"] = int(event.delta.usage.tokens.input_tokens)
                    result["output_tokens"] = int(event.delta.usage.tokens.output_tokens)
            result["text"] = text
            if calls:
                for call in calls:
                    call["args"] = json.loads(call["args"])
                result["tool_name"] = calls[0]["name"]
                result["tool_args"] = calls[0]["args"]
                result["tool_calls"] = calls
            return result
        response = client.chat(**kwargs)
    except cohere.core.api_error.ApiError as error:
        return {"error_status": error.status_code, "error_type": type(error).__name__, "message": str(error.body)}
    result = {
        "stop_reason": response.finish_reason,
        "input_tokens": int(response.usage.tokens.input_tokens),
        "output_tokens": int(response.usage.tokens.output_tokens),
        "text": "".join(c.text for c in (response.message.content or []) if c.type == "text"),
    }
    if response.message.tool_calls:
        call = response.message.tool_calls[0]
        result["tool_name"] = call.function.name
        result["tool_args"] = json.loads(call.function.arguments)
        result["tool_calls"] = [
            {"id": c.id, "name": c.function.name, "args": json.loads(c.function.arguments)}
            for c in response.message.tool_calls
        ]
    return result


def list_models(req):
    """mode "models": the SDK's own model listing and look-up of the first model listed, as an app
    does when it starts. Prints {"models": [ids], "retrieved": id, "names": [display names]}."""
    family = req["family"]
    if family == "anthropic":
        import anthropic

        client = anthropic.Anthropic(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
        listed = list(client.models.list())
        first = client.models.retrieve(listed[0].id)
        return {"models": [m.id for m in listed], "names": [m.display_name for m in listed], "retrieved": first.id,
                "type": first.type}
    if family == "openai":
        import openai

        client = openai.OpenAI(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
        listed = list(client.models.list())
        first = client.models.retrieve(listed[0].id)
        return {"models": [m.id for m in listed], "names": [m.owned_by for m in listed], "retrieved": first.id,
                "type": first.object}
    if family == "gemini":
        from google import genai
        from google.genai import types

        client = genai.Client(api_key=req["api_key"], http_options=types.HttpOptions(base_url=req["base_url"]))
        listed = list(client.models.list())
        first = client.models.get(model=listed[0].name)
        return {"models": [m.name.removeprefix("models/") for m in listed], "names": [m.display_name for m in listed],
                "retrieved": first.name.removeprefix("models/"), "type": ",".join(first.supported_actions or [])}
    if family == "cohere":
        import cohere

        client = cohere.ClientV2(api_key=req["api_key"], base_url=req["base_url"])
        listed = client.models.list().models
        first = client.models.get(listed[0].name)
        return {"models": [m.name for m in listed], "names": [m.name for m in listed], "retrieved": first.name,
                "type": ",".join(first.endpoints or [])}
    raise ValueError(family)


def count_tokens(req):
    """mode "count": the SDK's own token count of one user message, as a coding agent asks it to
    manage its context. Prints {"input_tokens": n} (Gemini's total_tokens under the same name)."""
    family = req["family"]
    if family == "anthropic":
        import anthropic

        client = anthropic.Anthropic(api_key=req["api_key"], base_url=req["base_url"], max_retries=req.get("max_retries", 0))
        try:
            counted = client.messages.count_tokens(
                model=req["model"], messages=[{"role": "user", "content": req["prompt"]}]
            )
        except anthropic.APIStatusError as error:
            return {"error_status": error.status_code, "error_type": type(error).__name__, "message": error.message}
        return {"input_tokens": counted.input_tokens}
    if family == "gemini":
        from google import genai
        from google.genai import errors, types

        client = genai.Client(api_key=req["api_key"], http_options=types.HttpOptions(base_url=req["base_url"]))
        try:
            counted = client.models.count_tokens(model=req["model"], contents=req["prompt"])
        except errors.APIError as error:
            return {"error_status": error.code, "error_type": type(error).__name__, "message": error.message}
        return {"input_tokens": counted.total_tokens}
    raise ValueError(family)


def run(req):
    if req.get("mode") == "models":
        return list_models(req)
    if req.get("mode") == "count":
        return count_tokens(req)
    if req.get("mode") in ("responses", "responses-stream"):
        return run_openai_responses(req)
    if req.get("mode") == "embeddings":
        return run_openai_embeddings(req)
    if req.get("mode") == "moderations":
        return run_openai_moderations(req)
    if req.get("mode") == "images":
        return run_openai_images(req)
    if req.get("mode") == "stored":
        return run_openai_stored(req)
    if req.get("mode") == "transcribe":
        return run_openai_transcribe(req)
    if req.get("mode") == "files":
        return run_gemini_files(req)
    return RUNNERS[req["family"]](req)


RUNNERS = {"anthropic": run_anthropic, "openai": run_openai, "gemini": run_gemini, "cohere": run_cohere}


def serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            answer = run(req)
        except Exception as error:  # noqa: BLE001 - the test sees what went wrong
            answer = {"worker_error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main():
    if "--serve" in sys.argv:
        return serve()
    req = json.load(sys.stdin)
    json.dump(run(req), sys.stdout)


if __name__ == "__main__":
    main()
