"""VK community wall poster: wall.post as the community, with the lead image as a photo.

``wall.post`` (and ``photos.getWallUploadServer``) accept only a *user* access token:
the token of a person who administers (or edits) the community, obtained through VK ID /
OAuth with the ``wall``, ``photos`` and ``offline`` rights, posting with ``from_group=1``.
A community key gets error 27 "method is unavailable with group auth" (dev.vk.com,
wall.post; VKCOM/vk-java-sdk#7, VKCOM/vk-php-sdk#130): that is a hard stop that says to
run ``ratusha-crosspost auth vk``.

VK answers HTTP 200 with either ``{"response": …}`` or ``{"error": {"error_code": …}}``.
wall.post takes a ``guid``: a repeat with the same guid within about an hour is not
posted again, so here — unlike Telegram, OK and MAX — a request that timed out, got a 5xx
or was interrupted by a crash is simply sent again with the same guid, which gives
exactly once. The guid is derived from the item's own guid and the wall, so it is the
same in every run. wall.edit sets the same content when repeated, wall.delete of a post
already deleted does nothing, and wall.createComment takes a guid too: every VK call is
safe to repeat.

The lead image is uploaded as a wall photo (photos.getWallUploadServer → POST the file
→ photos.saveWallPhoto → ``attachments=photo<owner>_<id>``); if any step fails the post
goes with the link alone, and VK builds the card from the page's Open Graph tags.
"""

from __future__ import annotations

import hashlib

from ratusha.crosspost import config as cfg
from ratusha.crosspost import format as fmt
from ratusha.crosspost import http
from ratusha.crosspost.config import Channel
from ratusha.crosspost.feeds import Item
from ratusha.crosspost.poster import (
    HardStop,
    Judgement,
    Outcome,
    Pause,
    Poster,
    Request,
    Result,
    TokenCheck,
    Verdict,
    by_code,
    decode_ref,
    encode_ref,
    json_or_none,
)

AUTH_ADVICE = "run `ratusha-crosspost auth vk` to store a community administrator's user token"
#: VK error codes (dev.vk.com/reference/errors) by what we do about them.
RETRY_SOON = {1: "unknown error", 6: "too many requests per second", 10: "internal server error"}
PAUSE = {
    9: "flood control: too many identical actions",
    29: "the method's rate limit is reached",
    214: "posting denied: the daily limit of 50 posts is reached, or the wall is closed",
}
STOP = {
    5: f"authorisation failed: the access token is wrong, expired or revoked; {AUTH_ADVICE}",
    7: f"no permission: the token lacks the 'wall' or 'photos' right; {AUTH_ADVICE}",
    14: "captcha needed: VK asks for a captcha; post once by hand and run again later",
    15: "access denied: the token's user may not post on this wall (make them an administrator or editor)",
    17: "validation required: open the validation link as the token's owner",
    27: (
        "this is a community key, and wall.post and photo uploads accept only a user access token of a "
        f"community administrator (VK ID / OAuth with the wall, photos and offline rights): {AUTH_ADVICE}"
    ),
    28: f"an application key is not accepted here: a user access token is needed; {AUTH_ADVICE}",
    200: "access to the album denied",
    203: "access to the community denied",
}
#: groups.getById admin_level (dev.vk.com/reference/objects/group): 1 moderator, 2 editor, 3 administrator.
ADMIN_LEVELS = {1: "moderator", 2: "editor", 3: "administrator"}


def vk_guid(owner_id: int, item_guid: str) -> str:
    """Derive the wall.post guid for an item: stable across runs, distinct per wall."""
    return hashlib.sha256(f"{owner_id}|{item_guid}".encode()).hexdigest()[:32]


class VKPoster(Poster):
    """Posts on one community wall as the community, with an administrator's user token."""

    network = "vk"
    label = "VK"
    can_edit = True
    can_delete = True
    can_reply = True
    edit_window = None  # wall.edit documents no time limit for a community's own posts
    option_keys = frozenset({"owner_id", "api_version", "attach_link", "daily_limit", "guid_window", "photo"})

    @classmethod
    def parse_options(cls, channel: Channel, settings: dict, where: str, problems: list[str]) -> None:
        """owner_id (the community, negative; required), api_version, attach_link, photo, limits."""
        owner = cfg._require(settings, "owner_id", where, problems)
        if owner is not None and (not isinstance(owner, int) or isinstance(owner, bool) or owner >= 0):
            problems.append(f"{where}.owner_id: {owner!r} must be the community id as a negative number (-123456)")
        channel.secret_env = {"token": str(settings.get("token_env", "RATUSHA_VK_TOKEN"))}
        channel.options = {
            "owner_id": owner,
            "api_version": str(settings.get("api_version", "5.199")),
            "attach_link": bool(settings.get("attach_link", True)),
            "photo": bool(settings.get("photo", True)),
            "daily_limit": int(cfg._number(settings, "daily_limit", 50, where, problems, 0, 10_000)),
            # VK drops a repeated wall.post with the same guid for about an hour; stay inside it.
            "guid_window": cfg._number(settings, "guid_window", 3000, where, problems, 0, 3600),
        }
        if not channel.api_base.endswith("/method"):
            channel.api_base += "/method"

    @property
    def owner_id(self) -> int:
        """The wall: the community's id, negative."""
        return int(self.channel.options["owner_id"])

    # Posting.

    def prepare(self, item: Item, key: str = "") -> Request:
        """wall.post from the community, plain text, the item's link attached."""
        options = self.channel.options
        text, cut = fmt.plain_text(self.channel, item)
        params = {
            "owner_id": str(self.owner_id),
            "from_group": "1",
            "message": text,
            "guid": key or vk_guid(self.owner_id, item.guid),
        }
        if options.get("attach_link", True) and item.link:
            params["attachments"] = item.link
        notes = ["cut to fit"] if cut else []
        if item.image and options.get("photo", True):
            notes.append("the lead image is uploaded as a photo when sent")
        return Request("wall.post", params, "; ".join(notes))

    def send(self, item: Item, key: str = "") -> Result:
        """Upload the photo, post with the same guid until VK answers (VK drops a repeat)."""
        request = self.prepare(item, key)
        photo = self._photo(item)
        request.params = self._with_attachments(request.params, photo, item)
        judgement = self._call(request.method, request.params)
        remote_id = ""
        if judgement.verdict is Verdict.OK:
            post_id = (json_or_none(judgement.value) or {}).get("post_id", "")
            remote_id = encode_ref(owner=self.owner_id, id=post_id, photo=photo, image=item.image if photo else "")
        return Result(judgement.outcome, remote_id, judgement.error, [request])

    def _with_attachments(self, params: dict[str, str], photo: str, item: Item) -> dict[str, str]:
        link = item.link if self.channel.options.get("attach_link", True) and item.link else ""
        attachments = ",".join(part for part in (photo, link) if part)
        params = {key: value for key, value in params.items() if key != "attachments"}
        return params | ({"attachments": attachments} if attachments else {})

    def _photo(self, item: Item, known: dict | None = None) -> str:  # noqa: PLR0911 - each step may fail
        """Upload the lead image as a wall photo; '' when there is none or any step fails."""
        if not item.image or not self.channel.options.get("photo", True):
            return ""
        if known and known.get("photo") and known.get("image") == item.image:
            return str(known["photo"])  # the same image as posted: keep its photo
        image = self.fetch_image(item.image)
        if image is None:
            return ""
        group = str(-self.owner_id)
        try:
            server = self._call("photos.getWallUploadServer", {"group_id": group})
            upload_url = (json_or_none(server.value) or {}).get("upload_url")
            if server.verdict is not Verdict.OK or not upload_url:
                return ""
            uploaded = self.upload(upload_url, "photo", image, self._judge_upload, "VK photo upload")
            if uploaded.verdict is not Verdict.OK:
                return ""
            fields = {"group_id": group, **{key: str(uploaded.value[key]) for key in ("photo", "server", "hash")}}
            saved = self._call("photos.saveWallPhoto", fields)
        except Pause:
            return ""
        photos = saved.value if saved.verdict is Verdict.OK and isinstance(saved.value, list) else []
        if not photos or not isinstance(photos[0], dict):
            return ""
        return f"photo{photos[0].get('owner_id')}_{photos[0].get('id')}"

    @staticmethod
    def _judge_upload(answer: http.Response) -> Judgement:
        body = json_or_none(answer.json())
        if answer.status == 200 and body and body.get("photo") not in (None, "", "[]") and "hash" in body:
            return Judgement(Verdict.OK, value=body)
        if answer.status >= 500:
            return Judgement(Verdict.RETRY, error=f"VK upload server: HTTP {answer.status}")
        return Judgement(Verdict.FAILED, error=f"VK upload server refused the image: {answer.body[:200]!r}")

    # Corrections and withdrawals.

    def edit(self, item: Item, remote_id: str) -> Result:
        """wall.edit with the corrected text, the same photo (or the new one) and the link."""
        ref = self._ref(remote_id)
        text, cut = fmt.plain_text(self.channel, item)
        photo = self._photo(item, ref)
        params = {"owner_id": str(ref["owner"]), "post_id": str(ref["id"]), "message": text}
        request = Request("wall.edit", self._with_attachments(params, photo, item), "cut to fit" if cut else "")
        judgement = self._call(request.method, request.params)
        if judgement.verdict is Verdict.FAILED and judgement.code == 100:
            judgement = Judgement(Verdict.REFUSED, error=f"{judgement.error}: the post is no longer on the wall")
        new_id = encode_ref(**(ref | {"photo": photo, "image": item.image if photo else ""}))
        return Result(judgement.outcome, new_id if judgement.verdict is Verdict.OK else "", judgement.error, [request])

    def delete(self, remote_id: str) -> Result:
        """wall.delete; a post that is gone (error 100) counts as deleted."""
        ref = self._ref(remote_id)
        request = Request("wall.delete", {"owner_id": str(ref["owner"]), "post_id": str(ref["id"])})
        judgement = self._call(request.method, request.params)
        if judgement.verdict is Verdict.FAILED and judgement.code == 100:
            return Result(Outcome.SENT, error="already gone", requests=[request])
        return Result(judgement.outcome, error=judgement.error, requests=[request])

    def reply(self, remote_id: str, text: str) -> Result:
        """wall.createComment from the community, with a guid so that a repeat is not posted twice."""
        ref = self._ref(remote_id)
        params = {
            "owner_id": str(ref["owner"]),
            "post_id": str(ref["id"]),
            "from_group": str(-int(ref["owner"])),
            "message": text,
            "guid": vk_guid(int(ref["owner"]), f"reply|{ref['id']}|{text}"),
        }
        request = Request("wall.createComment", params, "reply")
        judgement = self._call(request.method, params)
        if judgement.verdict is Verdict.FAILED and judgement.code in (100, 213, 222, 223):
            judgement = Judgement(Verdict.REFUSED, error=f"{judgement.error}: VK will not take a comment on this post")
        comment = (json_or_none(judgement.value) or {}).get("comment_id", "")
        remote = encode_ref(owner=ref["owner"], id=ref["id"], comment=comment) if comment else ""
        return Result(judgement.outcome, remote, judgement.error, [request])

    # The token.

    def check_token(self) -> TokenCheck:
        """Accept a user token of the community's administrator or editor; stop clearly on any other."""
        itself = self._call("groups.getById", {})
        if itself.verdict is Verdict.OK and self._groups(itself.value):
            raise HardStop(f"VK: {STOP[27]}")  # only a community key names a community without group_id
        users = self._call("users.get", {})
        people = users.value if users.verdict is Verdict.OK and isinstance(users.value, list) else []
        if not people:
            raise HardStop(f"VK users.get: {users.error or 'no user behind this token'}: {STOP[27]}")
        person = people[0]
        name = " ".join(str(person.get(part, "")) for part in ("first_name", "last_name")).strip()
        name = f"{name} (id{person.get('id')})"
        group = str(-self.owner_id) if self.channel.options.get("owner_id") else ""
        if not group:
            return TokenCheck(self.network, "user", name)
        found = self._call("groups.getById", {"group_id": group, "fields": "is_admin,admin_level"})
        groups = self._groups(found.value) if found.verdict is Verdict.OK else []
        if not groups:
            raise HardStop(f"VK groups.getById: {found.error or 'no such community'}: check owner_id ({self.owner_id})")
        community = groups[0]
        where = community.get("screen_name") or f"club{group}"
        if "is_admin" not in community:
            return TokenCheck(self.network, "user", name, f"{where}: VK did not say whether the user manages it")
        level = int(community.get("admin_level") or 0)
        if not community.get("is_admin") or level < 2:
            role = ADMIN_LEVELS.get(level, "not a manager")
            raise HardStop(
                f"VK: {name} is {role} of {where} and may not post on its wall as the community: "
                f"make them an administrator or editor, or {AUTH_ADVICE} of one who is"
            )
        return TokenCheck(self.network, "user", name, f"{ADMIN_LEVELS[min(level, 3)]} of {where}")

    @staticmethod
    def _groups(value: object) -> list[dict]:
        """groups.getById's list: a bare list before API 5.194, {"groups": [...]} since."""
        if isinstance(value, dict):
            value = value.get("groups")
        return [group for group in value if isinstance(group, dict)] if isinstance(value, list) else []

    # The wire.

    def _ref(self, remote_id: str) -> dict:
        ref = decode_ref(remote_id)
        ref.setdefault("owner", self.owner_id)
        return ref

    def _call(self, method: str, params: dict[str, str]) -> Judgement:
        url = f"{self.channel.api_base}/{method}"
        fields = {
            **params,
            "v": str(self.channel.options.get("api_version", "5.199")),
            "access_token": self.secrets.get("token", ""),
        }
        return self.exchange(
            lambda: http.request("POST", url, fields, timeout=self.channel.timeout),
            self._judge,
            idempotent=True,  # guid on wall.post and createComment; edit, delete, reads repeat harmlessly
            what=f"VK {method}",
        )

    @staticmethod
    def _judge(answer: http.Response) -> Judgement:
        body = json_or_none(answer.json())
        if body is not None and "response" in body:
            return Judgement(Verdict.OK, value=body["response"])
        failure = json_or_none(body.get("error")) if body else None
        if failure is None:  # a proxy's page or a 5xx: VK did not answer; with the guid, repeating is safe
            return Judgement(Verdict.RETRY, error=f"HTTP {answer.status}: no VK answer")
        code = int(failure.get("error_code") or 0)
        error = f"VK error {code}: {failure.get('error_msg', '')}"
        return by_code(code, error, STOP, PAUSE, RETRY_SOON)
