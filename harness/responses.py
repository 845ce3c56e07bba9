"""What the bot's messages do to the world, and the interaction response routes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from . import limits
from .gateway import Gateway
from .limits import ApiError
from .messages import Attachment, InteractionRecord, StoredMessage
from .model import Channel, Json, MessageFlag, now_iso
from .state import World

if TYPE_CHECKING:
    from .rest import RecordedRequest, Reply

APPLICATION_COMMAND = 2
DEFAULT_MESSAGE, REPLY_MESSAGE, CHAT_INPUT_COMMAND_MESSAGE = 0, 19, 20
# Callback types each interaction type accepts (interaction type -> callback types).
ALLOWED_CALLBACKS = {2: (4, 5, 9), 3: (4, 5, 6, 7, 9), 4: (8,), 5: (4, 5, 6, 7)}


def _metadata(interaction: InteractionRecord) -> Json:
    data: Json = {
        "id": str(interaction.id),
        "type": interaction.type,
        "user": interaction.user.payload(),
        "authorizing_integration_owners": {},
    }
    if interaction.message is not None:
        data["interacted_message_id"] = str(interaction.message.id)
    return data


def _message_type(interaction: InteractionRecord | None, reference: Json | None) -> int:
    if interaction is not None and interaction.type == APPLICATION_COMMAND:
        return CHAT_INPUT_COMMAND_MESSAGE
    return REPLY_MESSAGE if reference else DEFAULT_MESSAGE


class BotMessages:
    """Posting, editing and deleting the bot's messages, with the gateway events that follow."""

    def __init__(self, world: World, gateway: Gateway):
        self.world = world
        self.gateway = gateway

    async def post(
        self,
        channel: Channel,
        body: Json,
        files: list[Attachment],
        *,
        interaction: InteractionRecord | None = None,
        flags: int = 0,
        validate: bool = True,
    ) -> StoredMessage:
        if validate:
            limits.check_message(body, has_files=bool(files))
        reference = body.get("message_reference")
        if reference and reference.get("fail_if_not_exists", True):
            if int(reference.get("message_id", 0)) not in self.world.messages:
                raise limits.invalid_form(
                    "message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
                )
        message = StoredMessage(
            self.world.ids.next(), channel.id, channel.guild_id, self.world.bot,
            interaction_metadata=_metadata(interaction) if interaction else None,
            type=_message_type(interaction, reference),
        )  # fmt: skip
        message.apply(body, files)
        message.flags |= flags
        if body.get("nonce") is not None:
            message.nonce = str(body["nonce"])
        self.world.add_message(message)
        if not message.ephemeral:
            payload = self.world.message_create_payload(message)
            await self.gateway.dispatch("MESSAGE_CREATE", payload, require_client=False)
        return message

    async def edit(self, message: StoredMessage, body: Json, files: list[Attachment]) -> None:
        limits.check_message(body, has_files=bool(files), editing=True)
        was_loading = message.loading
        message.apply(body, files)
        message.flags &= ~int(MessageFlag.LOADING)
        if not was_loading:
            message.edited_timestamp = now_iso()
        self.world.log_change("edit", message)
        if not message.ephemeral:
            payload = self.world.message_create_payload(message)
            await self.gateway.dispatch("MESSAGE_UPDATE", payload, require_client=False)

    async def delete(self, message: StoredMessage) -> None:
        message.deleted = True
        self.world.log_change("delete", message)
        data = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        if not message.ephemeral:
            await self.gateway.dispatch("MESSAGE_DELETE", data, require_client=False)


class InteractionResponses:
    """POST /interactions/{id}/{token}/callback and the webhook routes for followups."""

    def __init__(self, world: World, bot_messages: BotMessages, *, deadline: float):
        self.world = world
        self.bot_messages = bot_messages
        self._deadline = deadline

    def routes(self) -> list[tuple[str, str, Callable[..., Awaitable[Reply]]]]:
        hook_message = "/webhooks/{app_id}/{token}/messages/{message_id}"
        return [
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app_id}/{token}", self._followup),
            ("GET", hook_message, self._get_hook_message),
            ("PATCH", hook_message, self._edit_hook_message),
            ("DELETE", hook_message, self._delete_hook_message),
        ]

    def _interaction(self, interaction_id: str, token: str) -> InteractionRecord:
        record = self.world.interactions.get(int(interaction_id))
        if record is None or record.token != token:
            raise ApiError(404, 10062, "Unknown interaction")
        return record

    def _by_token(self, app_id: str, token: str) -> InteractionRecord:
        record = next((r for r in self.world.interactions.values() if r.token == token), None)
        if record is None or int(app_id) != self.world.application_id or not record.callbacks:
            raise ApiError(404, 10015, "Unknown Webhook")
        return record

    async def _callback(self, call: RecordedRequest, interaction_id: str, token: str) -> Reply:
        record = self._interaction(interaction_id, token)
        body = call.json or {}
        late = asyncio.get_running_loop().time() - record.created_at > self._deadline
        if late or record.callbacks:
            record.rejected_callbacks.append(body)
            if late:
                raise ApiError(404, 10062, "Unknown interaction")
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        kind = body.get("type")
        if kind not in ALLOWED_CALLBACKS[record.type]:
            raise ApiError(400, 50035, "Invalid Form Body", {"type": f"{kind} not allowed here"})
        message = await self._apply_callback(record, kind, body.get("data") or {}, call.files)
        record.callbacks.append(body)
        return 200, self._callback_response(record, kind, message)

    async def _apply_callback(
        self, record: InteractionRecord, kind: int, data: Json, files: list[Attachment]
    ) -> StoredMessage | None:
        channel = self.world.channel(record.channel_id)
        ephemeral = int(data.get("flags") or 0) & MessageFlag.EPHEMERAL
        if kind == 4:
            record.original = await self.bot_messages.post(channel, data, files, interaction=record)
        elif kind == 5:
            flags = MessageFlag.LOADING | ephemeral
            record.original = await self.bot_messages.post(
                channel, {}, [], interaction=record, flags=flags, validate=False
            )
        elif kind in (6, 7):
            record.original = record.message
            if kind == 7:
                await self.bot_messages.edit(record.message, data, files)
        elif kind == 8:
            limits.check_choices(data.get("choices") or [])
            record.choices = data.get("choices") or []
        elif kind == 9:
            record.modal = data
        return record.original if kind in (4, 5, 7) else None

    @staticmethod
    def _callback_response(record: InteractionRecord, kind: int, message: StoredMessage | None):
        interaction: Json = {
            "id": str(record.id),
            "type": record.type,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        resource: Json = {"type": kind}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            resource["message"] = message.payload()
        return {"interaction": interaction, "resource": resource}

    async def _followup(self, call: RecordedRequest, app_id: str, token: str) -> Reply:
        record = self._by_token(app_id, token)
        body = call.json or {}
        original = record.original
        if original is not None and original.loading and record.callback_types[0] == 5:
            # Discord turns the first followup after a "thinking" defer into that message.
            await self.bot_messages.edit(original, body, call.files)
            message = original
        else:
            flags = int(body.get("flags") or 0) & MessageFlag.EPHEMERAL
            channel = self.world.channel(record.channel_id)
            message = await self.bot_messages.post(channel, body, call.files, interaction=record, flags=flags)
            record.followups.append(message)
        if call.query.get("wait") not in ("1", "true", "True"):
            return 204, None
        return 200, message.payload()

    def _hook_message(self, record: InteractionRecord, message_id: str) -> StoredMessage:
        if message_id == "@original":
            message = record.original
        else:
            candidates = [record.original, *record.followups]
            message = next((m for m in candidates if m and m.id == int(message_id)), None)
        if message is None or message.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return message

    async def _get_hook_message(self, call: RecordedRequest, app_id: str, token: str, message_id):
        return 200, self._hook_message(self._by_token(app_id, token), message_id).payload()

    async def _edit_hook_message(self, call: RecordedRequest, app_id: str, token: str, message_id):
        message = self._hook_message(self._by_token(app_id, token), message_id)
        await self.bot_messages.edit(message, call.json or {}, call.files)
        return 200, message.payload()

    async def _delete_hook_message(self, call: RecordedRequest, app_id: str, token: str, message_id):
        await self.bot_messages.delete(self._hook_message(self._by_token(app_id, token), message_id))
        return 204, None
