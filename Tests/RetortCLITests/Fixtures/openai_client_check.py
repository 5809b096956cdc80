"""Drives `retort serve` with the official OpenAI Python client: the model list, a greedy chat
completion with log-probabilities, a streamed chat completion with usage, a text completion that
scores its prompt (echo), and the client's own exceptions for an unknown model and a bad parameter.

Usage: python3 openai_client_check.py BASE_URL MODEL
Prints one JSON object with what it saw; exits 3 when the openai package is missing, 1 when a
check fails (with the reason on stderr).
"""
import json
import sys

try:
    import openai
except ImportError:
    print("the Python package `openai` is not installed: run `make setup`", file=sys.stderr)
    sys.exit(3)


def check(condition, message):
    if not condition:
        print("check failed: " + message, file=sys.stderr)
        sys.exit(1)


def main():
    base_url, model = sys.argv[1], sys.argv[2]
    client = openai.OpenAI(base_url=base_url + "/v1", api_key="not-needed", max_retries=0, timeout=600)
    seen = {"openai_version": openai.__version__}

    seen["models"] = [m.id for m in client.models.list().data]
    check(model in seen["models"], "model list %r lacks %s" % (seen["models"], model))

    question = [{"role": "user", "content": "What is the capital of France?"}]
    chat = client.chat.completions.create(model=model, messages=question, max_tokens=8, temperature=0,
                                          logprobs=True, top_logprobs=2)
    choice = chat.choices[0]
    seen["chat"] = choice.message.content
    check("Paris" in choice.message.content, "answer %r lacks Paris" % choice.message.content)
    tokens = choice.logprobs.content
    check(len(tokens) == chat.usage.completion_tokens, "one log-probability per completion token")
    check("".join(t.token for t in tokens) == choice.message.content, "the tokens spell the answer")
    for t in tokens:
        check(len(t.top_logprobs) == 2, "two alternatives per token")
        check(t.top_logprobs[0].token == t.token, "greedy takes the top token")
        check(bytes(t.bytes).decode("utf-8") == t.token, "bytes match the token")
    seen["chat_logprobs"] = [[t.token, t.logprob] for t in tokens]

    stream = client.chat.completions.create(model=model, messages=question, max_tokens=8, temperature=0,
                                            stream=True, stream_options={"include_usage": True})
    pieces, finish, usage = [], None, None
    for chunk in stream:
        if chunk.usage is not None:
            usage = chunk.usage
        for c in chunk.choices:
            if c.delta.content:
                pieces.append(c.delta.content)
            if c.finish_reason:
                finish = c.finish_reason
    seen["stream"] = "".join(pieces)
    check(seen["stream"] == choice.message.content, "the stream %r differs from %r" % (seen["stream"], choice.message.content))
    check(finish in ("stop", "length"), "finish reason %r" % finish)
    check(usage is not None and usage.completion_tokens == chat.usage.completion_tokens, "streamed usage")

    scored = client.completions.create(model=model, prompt="The capital of France is", max_tokens=0, echo=True, logprobs=1)
    lp = scored.choices[0].logprobs
    check("".join(lp.tokens) == "The capital of France is", "echoed tokens %r" % lp.tokens)
    check(lp.token_logprobs[0] is None and all(v <= 0 for v in lp.token_logprobs[1:]), "prompt log-probabilities")
    seen["echo_logprobs"] = lp.token_logprobs

    try:
        client.chat.completions.create(model="no-such-model", messages=question, max_tokens=2)
        check(False, "an unknown model must raise NotFoundError")
    except openai.NotFoundError as error:
        seen["not_found"] = error.status_code
    try:
        client.chat.completions.create(model=model, messages=question, max_tokens=2, temperature=5)
        check(False, "temperature 5 must raise BadRequestError")
    except openai.BadRequestError as error:
        seen["bad_request"] = [error.status_code, error.body.get("param") if isinstance(error.body, dict) else None]

    print(json.dumps(seen))


main()
