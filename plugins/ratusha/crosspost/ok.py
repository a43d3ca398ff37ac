"""OK (Odnoklassniki) group poster: mediatopic.post with a signed request, the photo uploaded.

Every call is signed (apiok.ru/dev/methods, "Calculating request signature"): the
parameters except the token, sorted by name and joined as ``name=value``, followed by
``md5(access_token + application_secret_key)`` in lower case; ``sig`` is the md5 of that.
OK answers HTTP 200 with the result (a topic id as a JSON string for mediatopic.post), or
with ``{"error_code": …, "error_msg": …}``. There is no idempotency key: like Telegram,
only a request OK refused (error 8 flood, 2 service unavailable, a 5xx) is repeated; a
timeout is uncertain and reported.

The lead image: photosV2.getUploadUrl with the group's ``gid`` → POST the file as
``pic1`` → the answer's ``photos.<id>.token`` goes into the topic as
``{"type": "photo", "list": [{"id": token}]}`` (no photosV2.commit: that is for albums).
When any step fails the topic goes with the link block, shown as a card.

What OK's API allows for a group topic (apiok.ru, the mediatopic.* methods documented
in apiok/documentation: mediatopic.post, getByIds, getPollAnswerVoters,
getRepublishedTopic): there is **no method to edit a topic**, so an edit is REFUSED.
Deleting goes through ``mediatopic.deleteTopic``, which OK's servers answer but its
public documentation does not list; where OK says the method does not exist or is not
allowed for the application, the delete is REFUSED with that reason. A reply is a
comment as the group: ``discussions.addDiscussionComment`` (documented) with
``entityType=GROUP_TOPIC`` and ``as_admin``.
"""

from __future__ import annotations

import hashlib
import json

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
    refused,
)

AUTH_ADVICE = "run `ratusha-crosspost auth ok` to store a new token"
#: OK error codes (apiok.ru/dev/errors) by what we do about them.
RETRY_SOON = {2: "service temporarily unavailable", 8: "flood: the method is blocked for a while"}
PAUSE = {11: "method invocation limit reached"}
STOP = {
    7: "action blocked for this user: log in to OK as the group's administrator and confirm",
    9: "blocked by IP address for suspicious activity",
    10: f"permission denied: the token needs GROUP_CONTENT and the app must be allowed to post; {AUTH_ADVICE}",
    101: "application_key is wrong",
    102: f"the session (access_token) has expired; {AUTH_ADVICE}",
    103: f"the session key (access_token) is wrong; {AUTH_ADVICE}",
    104: "the signature is wrong: check the application secret key",
    105: "the secret key for the session is missing",
}
NO_EDIT = (
    "OK's API has no method to edit a group topic (apiok.ru documents mediatopic.post, getByIds, "
    "getPollAnswerVoters and getRepublishedTopic only): correct the topic by hand in the group"
)


def signature(params: dict[str, str], access_token: str, secret_key: str) -> str:
    """OK's sig for ``params`` (which must not include access_token or sig)."""
    session_secret = hashlib.md5((access_token + secret_key).encode("utf-8")).hexdigest().lower()
    joined = "".join(f"{key}={params[key]}" for key in sorted(params))
    return hashlib.md5((joined + session_secret).encode("utf-8")).hexdigest().lower()


class OKPoster(Poster):
    """Posts topics in one group."""

    network = "ok"
    label = "OK"
    can_edit = False  # no such method in OK's API
    can_delete = True  # mediatopic.deleteTopic (answered, though not in the public docs)
    can_reply = True  # discussions.addDiscussionComment as the group
    edit_window = None
    option_keys = frozenset(
        {"group_id", "application_key_env", "secret_key_env", "attach_link", "daily_limit", "photo"}
    )

    @classmethod
    def parse_options(cls, channel: Channel, settings: dict, where: str, problems: list[str]) -> None:
        """group_id (required), the three secrets' variables, attach_link, photo, daily_limit."""
        cfg._require(settings, "group_id", where, problems)
        channel.secret_env = {
            "token": str(settings.get("token_env", "RATUSHA_OK_TOKEN")),
            "application_key": str(settings.get("application_key_env", "RATUSHA_OK_APPLICATION_KEY")),
            "secret_key": str(settings.get("secret_key_env", "RATUSHA_OK_SECRET_KEY")),
        }
        channel.options = {
            "group_id": str(settings.get("group_id", "")),
            "attach_link": bool(settings.get("attach_link", True)),
            "photo": bool(settings.get("photo", True)),
            "daily_limit": int(cfg._number(settings, "daily_limit", 0, where, problems, 0, 10_000)),
        }
        channel.api_base = channel.api_base.removesuffix("/fb.do")

    # Posting.

    def prepare(self, item: Item, key: str = "", photo_token: str = "") -> Request:
        """mediatopic.post to the group: a text block, the photo, a link block."""
        options = self.channel.options
        text, cut = fmt.plain_text(self.channel, item)
        media: list[dict] = [{"type": "text", "text": text}]
        if photo_token:
            media.append({"type": "photo", "list": [{"id": photo_token}]})
        if options.get("attach_link", True) and item.link:
            media.append({"type": "link", "url": item.link})
        params = {
            "gid": str(options["group_id"]),
            "type": "GROUP_THEME",
            "attachment": json.dumps({"media": media}, ensure_ascii=False),
        }
        notes = ["cut to fit"] if cut else []
        if item.image and options.get("photo", True) and not photo_token:
            notes.append("the lead image is uploaded as a photo when sent")
        return Request("mediatopic.post", params, "; ".join(notes))

    def send(self, item: Item, key: str = "") -> Result:
        """Upload the photo, sign and post; repeat only what OK refused."""
        token = self._photo(item)
        request = self.prepare(item, key, photo_token=token)
        judgement = self._call(request.method, request.params, idempotent=False)
        remote_id = ""
        if judgement.verdict is Verdict.OK:
            topic = judgement.value
            if not isinstance(topic, str | int) or not str(topic):
                return Result(Outcome.FAILED, error=f"OK: unexpected answer {topic!r}", requests=[request])
            remote_id = encode_ref(group=self.channel.options["group_id"], id=str(topic))
        return Result(judgement.outcome, remote_id, judgement.error, [request])

    def _photo(self, item: Item) -> str:
        """Upload the lead image and return its token; '' when there is none or any step fails."""
        image = self.lead_image(item)
        if image is None:
            return ""
        try:
            started = self._call("photosV2.getUploadUrl", {"gid": str(self.channel.options["group_id"])})
            value = json_or_none(started.value) or {}
            upload_url, ids = value.get("upload_url"), value.get("photo_ids") or []
            if started.verdict is not Verdict.OK or not upload_url or not ids:
                return ""
            uploaded = self.upload(upload_url, "pic1", image, self._judge_upload, "OK photo upload")
        except Pause:
            return ""
        photos = (json_or_none(uploaded.value) or {}).get("photos") or {}
        entry = json_or_none(photos.get(ids[0])) or next((v for v in photos.values() if isinstance(v, dict)), {})
        return str(entry.get("token") or "") if uploaded.verdict is Verdict.OK else ""

    @staticmethod
    def _judge_upload(answer: http.Response) -> Judgement:
        body = json_or_none(answer.json())
        if answer.status == 200 and body and json_or_none(body.get("photos")):
            return Judgement(Verdict.OK, value=body)
        if answer.status >= 500:
            return Judgement(Verdict.RETRY, error=f"OK upload server: HTTP {answer.status}")
        return Judgement(Verdict.FAILED, error=f"OK upload server refused the image: {answer.body[:200]!r}")

    # Corrections and withdrawals.

    def edit(self, item: Item, remote_id: str) -> Result:
        """REFUSED: OK's API cannot edit a topic."""
        return refused(NO_EDIT)

    def delete(self, remote_id: str) -> Result:
        """mediatopic.deleteTopic; REFUSED where OK says the method is not there or not allowed."""
        ref = self._ref(remote_id)
        request = Request("mediatopic.deleteTopic", {"gid": str(ref["group"]), "topic_id": str(ref["id"])})
        # Not allowed (3 no such method, 10 permission) is an answer about deleting, not about the token.
        judgement = self._call(request.method, request.params, idempotent=True, stop_on=frozenset({7, 9, 102, 103}))
        if judgement.verdict is Verdict.FAILED and judgement.code in (3, 10):
            return refused(
                f"{judgement.error}: OK does not let this application delete topics; delete it by hand", request
            )
        if judgement.verdict is Verdict.FAILED and judgement.code in (100, 300):
            return Result(Outcome.SENT, error="already gone", requests=[request])
        return Result(judgement.outcome, error=judgement.error, requests=[request])

    def reply(self, remote_id: str, text: str) -> Result:
        """Comment on the topic as the group (discussions.addDiscussionComment, as_admin)."""
        ref = self._ref(remote_id)
        params = {"entityId": str(ref["id"]), "entityType": "GROUP_TOPIC", "comment": text, "as_admin": "true"}
        request = Request("discussions.addDiscussionComment", params, "reply")
        judgement = self._call(request.method, params, idempotent=False)
        if judgement.verdict is Verdict.FAILED and judgement.code in (100, 300, 454):
            judgement = Judgement(Verdict.REFUSED, error=f"{judgement.error}: OK will not take a comment on this topic")
        comment = judgement.value if isinstance(judgement.value, str | int) else ""
        remote = encode_ref(group=ref["group"], id=ref["id"], comment=str(comment)) if comment else ""
        return Result(judgement.outcome, remote, judgement.error, [request])

    # The token.

    def check_token(self) -> TokenCheck:
        """users.getCurrentUser (who), users.hasAppPermission GROUP_CONTENT (may post in groups?)."""
        me = self._call("users.getCurrentUser", {}, idempotent=True)
        person = json_or_none(me.value) if me.verdict is Verdict.OK else None
        if not person or not person.get("uid"):
            raise HardStop(f"OK users.getCurrentUser: {me.error or 'no user behind this token'}: {AUTH_ADVICE}")
        name = str(person.get("name") or " ".join(filter(None, (person.get("first_name"), person.get("last_name")))))
        name = f"{name} (uid {person['uid']})"
        allowed = self._call("users.hasAppPermission", {"ext_perm": "GROUP_CONTENT"}, idempotent=True)
        if allowed.verdict is Verdict.OK and allowed.value in (False, "false"):
            raise HardStop(
                f"OK: the token of {name} lacks the GROUP_CONTENT permission, so it cannot post in groups: "
                f"request GROUP_CONTENT (and PHOTO_CONTENT, LONG_ACCESS_TOKEN) for the application; {AUTH_ADVICE}"
            )
        detail = (
            f"may post in groups; group {self.channel.options.get('group_id')}: rights not checked (OK does not tell)"
        )
        return TokenCheck(self.network, "user", name, detail)

    # The wire.

    def _ref(self, remote_id: str) -> dict:
        ref = decode_ref(remote_id)
        ref.setdefault("group", self.channel.options["group_id"])
        return ref

    def _call(
        self, method: str, params: dict[str, str], *, idempotent: bool = True, stop_on: frozenset[int] | None = None
    ) -> Judgement:
        token = self.secrets.get("token", "")
        fields = {
            **params,
            "method": method,
            "format": "json",
            "application_key": self.secrets.get("application_key", ""),
        }
        fields["sig"] = signature(fields, token, self.secrets.get("secret_key", ""))
        fields["access_token"] = token
        url = f"{self.channel.api_base}/fb.do"
        return self.exchange(
            lambda: http.request("POST", url, fields, timeout=self.channel.timeout),
            lambda answer: self._judge(answer, stop_on),
            idempotent=idempotent,
            what=f"OK {method}",
        )

    @staticmethod
    def _judge(answer: http.Response, stop_on: frozenset[int] | None = None) -> Judgement:
        body = answer.json()
        failure = json_or_none(body)
        if failure is not None and "error_code" in failure:
            code = int(failure.get("error_code") or 0)
            error = f"OK error {code}: {failure.get('error_msg', '')}"
            stop = STOP if stop_on is None else {key: value for key, value in STOP.items() if key in stop_on}
            return by_code(code, error, stop, PAUSE, RETRY_SOON)
        if answer.status == 200 and body is not None:
            return Judgement(Verdict.OK, value=body)
        if answer.status in (500, 502, 503):
            return Judgement(Verdict.RETRY, error=f"HTTP {answer.status}")
        if answer.status >= 500:
            return Judgement(Verdict.UNSURE, error=f"HTTP {answer.status}")
        return Judgement(Verdict.FAILED, error=f"HTTP {answer.status}: unexpected answer")
