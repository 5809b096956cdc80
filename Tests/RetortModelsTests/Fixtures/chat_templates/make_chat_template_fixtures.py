# Renders every fixture template on a set of conversations with jinja2, configured as Hugging Face
# transformers renders chat templates (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks,
# loopcontrols, its json.dumps `tojson`, `raise_exception`), and writes expected.json for the
# Swift tests. Dict keys are sorted first: Retort's JSONValue objects are unordered and the Swift
# renderer visits their keys in sorted order.
import json
import os

import jinja2
from jinja2.exceptions import TemplateError
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def sorted_keys(value):
    if isinstance(value, dict):
        return {k: sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(v) for v in value]
    return value


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
USER1 = {"role": "user", "content": "Hello! What's 2+2?"}
ASSISTANT1 = {"role": "assistant", "content": "   2+2 is 4.\n  "}
USER2 = {"role": "user", "content": "And in French? Réponds «vite»."}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "City name"}, "days": {"type": "integer"}},
            "required": ["city"],
        },
    },
}
TOOL_TURNS = [
    {"role": "user", "content": "What's the weather in Paris?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris", "days": 2}}}
        ],
    },
    {"role": "tool", "content": "{\"temperature\": 21.5, \"sky\": \"clear\"}"},
    {"role": "tool", "content": "second result"},
]

# Mistral v0.3 tool turns: its template requires 9-character alphanumeric call ids on both sides.
MISTRAL_TOOL_TURNS = [
    {"role": "user", "content": "What's the weather in Paris?"},
    {
        "role": "assistant",
        "tool_calls": [
            {
                "id": "call0Abc9",
                "type": "function",
                "function": {"name": "get_weather", "arguments": {"city": "Paris", "days": 2}},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "call0Abc9", "content": "{\"temperature\": 21.5, \"sky\": \"clear\"}"},
    {"role": "assistant", "content": "It is 21.5 °C and clear in Paris.  "},
    {"role": "user", "content": "And tomorrow?"},
]
MISTRAL_BAD_CALL_ID = [
    MISTRAL_TOOL_TURNS[0],
    {
        "role": "assistant",
        "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": {}}}],
    },
]

CONVERSATIONS = {
    "system_user": [SYSTEM, USER1],
    "multi_turn": [SYSTEM, USER1, ASSISTANT1, USER2],
    "no_system": [USER1, ASSISTANT1, USER2],
    "bad_alternation": [USER1, USER2],
}

CASES = {
    "smollm2.jinja": ("<|im_start|>", "<|im_end|>", ["system_user", "multi_turn", "no_system"]),
    "llama3.jinja": ("<|begin_of_text|>", "<|eot_id|>", ["system_user", "multi_turn", "no_system"]),
    "mistral.jinja": ("<s>", "</s>", ["system_user", "multi_turn", "no_system", "bad_alternation"]),
    "qwen2.5.jinja": ("", "<|im_end|>", ["system_user", "multi_turn", "no_system"]),
    "gemma2.jinja": ("<bos>", "<eos>", ["system_user", "no_system", "bad_alternation"]),
    "mistral-v0.3.jinja": ("<s>", "</s>", ["system_user", "multi_turn", "no_system", "bad_alternation"]),
}


def render(env, source, messages, tools, add_generation_prompt, bos, eos):
    template = env.from_string(source)
    try:
        text = template.render(
            messages=sorted_keys(messages), tools=sorted_keys(tools), add_generation_prompt=add_generation_prompt,
            bos_token=bos, eos_token=eos)
        return {"expected": text}
    except TemplateError as error:
        return {"error": str(error)}


def main():
    env = environment()
    cases = []
    for name, (bos, eos, conversations) in CASES.items():
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            source = f.read()
        runs = [(c, CONVERSATIONS[c], None) for c in conversations]
        if name == "qwen2.5.jinja":
            runs += [("tools", TOOL_TURNS, [WEATHER_TOOL]), ("tools_system", [SYSTEM] + TOOL_TURNS, [WEATHER_TOOL])]
        if name == "mistral-v0.3.jinja":
            runs += [
                ("tools", MISTRAL_TOOL_TURNS, [WEATHER_TOOL]),
                ("tools_system", [SYSTEM] + MISTRAL_TOOL_TURNS, [WEATHER_TOOL]),
                ("tool_turns_without_tools", MISTRAL_TOOL_TURNS, None),
                ("bad_tool_call_id", MISTRAL_BAD_CALL_ID, [WEATHER_TOOL]),
            ]
        for label, messages, tools in runs:
            for agp in (False, True):
                case = {
                    "template": name, "conversation": label, "messages": messages, "tools": tools,
                    "add_generation_prompt": agp, "bos_token": bos, "eos_token": eos,
                }
                case.update(render(env, source, messages, tools, agp, bos, eos))
                cases.append(case)
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"jinja2_version": jinja2.__version__, "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases")


if __name__ == "__main__":
    main()
