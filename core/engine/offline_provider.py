"""The offline model as a litellm custom provider (``offline/<anything>``).

Imported only by :func:`core.engine.litellm_loader.load_litellm`, after litellm
itself, because the class derives from litellm's ``CustomLLM``. The delay
between tokens arrives as the ``offline_delay`` request parameter and the
asking node's name as ``offline_voice``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from litellm import CustomLLM

from core.engine.offline_model import answer_text, count_prompt_tokens, stream_tokens, tokens

PROVIDER = "offline"


class OfflineProvider(CustomLLM):
    """Streams the offline model's answer as litellm generic chunks."""

    async def astreaming(
        self, model: str, messages: list, *args: Any, **kwargs: Any
    ) -> AsyncIterator[Any]:
        params = _optional_params(args, kwargs)
        text = answer_text(messages, params.get("response_format"), params.get("offline_voice"))
        delay = float(params.get("offline_delay") or 0.0)
        async for piece in stream_tokens(text, delay):
            yield {
                "text": piece,
                "is_finished": False,
                "finish_reason": "",
                "usage": None,
                "index": 0,
            }
        usage = {
            "prompt_tokens": count_prompt_tokens(messages),
            "completion_tokens": len(tokens(text)),
            "total_tokens": count_prompt_tokens(messages) + len(tokens(text)),
        }
        yield {"text": "", "is_finished": True, "finish_reason": "stop", "usage": usage, "index": 0}

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> Any:
        import litellm

        params = _optional_params(args, kwargs)
        text = answer_text(messages, params.get("response_format"), params.get("offline_voice"))
        prompt, completion = count_prompt_tokens(messages), len(tokens(text))
        return litellm.ModelResponse(
            model=model,
            choices=[
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": text},
                }
            ],
            usage={
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        )


def _optional_params(args: tuple, kwargs: dict) -> dict[str, Any]:
    """litellm passes ``optional_params`` positionally (8th after messages) or by name."""
    if "optional_params" in kwargs:
        return kwargs["optional_params"] or {}
    # (api_base, custom_prompt_dict, model_response, print_verbose, encoding, api_key,
    #  logging_obj, optional_params, ...)
    return args[7] if len(args) > 7 and isinstance(args[7], dict) else {}
