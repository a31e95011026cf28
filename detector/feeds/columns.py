"""Which column of a feed is which posting field: the schema's own names, the names job
boards and Chinese spreadsheets use for them, and the user's `--map`.

A header is compared after folding case, spaces, hyphens and dots to underscores
("Job Title", "job-title" and "JOB_TITLE" are all `job_title`). The schema's own names
win over aliases, `--map` wins over both, and the first column claiming a field keeps it.
The table below is documented in docs/scan.md; a test checks the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from detector.schema import ALL_FIELDS

#: Posting field -> other names for it (English job-board exports, then Chinese).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("job_id", "posting_id", "listing_id", "job_posting_id", "uuid", "编号", "职位编号",
           "职位id", "岗位编号"),
    "title": ("job_title", "position", "position_title", "job_name", "job", "职位名称", "职位",
              "岗位名称", "岗位", "招聘职位", "职位标题", "标题"),
    "company": ("company_name", "employer", "employer_name", "organization",
                "hiring_organization", "公司名称", "公司", "企业名称", "招聘单位", "单位名称",
                "招聘公司"),
    "company_profile": ("company_description", "about_company", "about_the_company",
                        "employer_description", "公司简介", "公司介绍", "企业简介", "公司描述"),
    "description": ("job_description", "job_desc", "details", "job_details", "职位描述",
                    "岗位描述", "职位详情", "岗位职责", "工作内容", "职位介绍", "职位详细"),
    "requirements": ("qualifications", "job_requirements", "skills", "任职要求", "岗位要求",
                     "职位要求", "任职资格"),
    "benefits": ("perks", "福利", "福利待遇", "公司福利", "职位福利"),
    "salary": ("salary_range", "pay", "compensation", "wage", "薪资", "薪酬", "工资", "月薪",
               "薪资待遇", "薪资范围", "待遇"),
    "location": ("job_location", "city", "address", "工作地点", "工作地址", "地点", "城市",
                 "地区"),
    "employment_type": ("job_type", "contract_type", "work_type", "工作性质", "职位类型",
                        "工作类型", "用工形式"),
    "required_experience": ("experience", "experience_level", "seniority", "工作经验",
                            "经验要求", "经验"),
    "required_education": ("education", "education_level", "学历", "学历要求"),
    "industry": ("sector", "行业", "所属行业", "公司行业"),
    "function": ("job_function", "category", "job_category", "职能", "职位类别", "职位分类"),
    "department": ("team", "部门", "所属部门"),
    "contact": ("contact_info", "contact_information", "how_to_apply", "apply", "email",
                "phone", "联系方式", "联系人", "联系电话", "电话", "微信"),
    "text": ("content", "body", "full_text", "posting", "message", "全文", "正文", "内容",
             "文本"),
    "has_company_logo": ("company_logo", "logo"),
    "telecommuting": ("is_remote",),
    "has_questions": ("screening_questions",),
}

_FOLD = re.compile(r"[\s\-.]+")


def fold(name: str) -> str:
    """A header as compared: no BOM or surrounding space, lower case, separators as `_`."""
    return _FOLD.sub("_", name.replace("\ufeff", "").strip().lower()).strip("_")


_BY_ALIAS: dict[str, str] = {fold(alias): name for name, aliases in ALIASES.items()
                             for alias in aliases}


class ColumnMapError(ValueError):
    """A `--map` that names a column the feed lacks or a field the schema lacks."""


def parse_map(text: str | None) -> dict[str, str]:
    """`--map 'src=dst,src2=dst2'` (or `src=-` to ignore a column) into {src: dst}."""
    if not text:
        return {}
    out: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        src, sep, dst = item.partition("=")
        src, dst = src.strip(), dst.strip()
        if not sep or not src or not dst:
            raise ColumnMapError(f"--map wants COLUMN=FIELD pairs separated by commas, got "
                                 f"{item.strip()!r}")
        if dst != "-" and dst not in ALL_FIELDS:
            raise ColumnMapError(f"--map {src}={dst}: {dst!r} is not a posting field; the "
                                 f"fields are {', '.join(ALL_FIELDS)} (or - to ignore)")
        out[src] = dst
    return out


@dataclass(frozen=True)
class ColumnMap:
    """The feed's columns as posting fields. `index` is (field, column position) for the
    columns read; `renamed` the columns read under another name (to print); `unused` the
    columns left out."""

    index: tuple[tuple[str, int], ...]
    renamed: tuple[tuple[str, str, str], ...] = ()  # (column, field, why: alias/--map)
    unused: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = field(default=())  # (column, field kept)

    @property
    def fields(self) -> dict[str, int]:
        return dict(self.index)

    def by_name(self, header: list[str]) -> dict[str, str]:
        """{key: field} for records keyed by name (JSONL, Parquet). Duplicates are kept:
        one JSON line may say `title` and the next `job_title` (a record's own field name
        wins when it has both)."""
        out = {header[column]: name for name, column in self.index}
        out.update((column, name) for column, name in self.duplicates)
        return out

    def describe(self) -> str:
        """One line for the terminal: what is read as what, and what is left out."""
        parts = [f"{column} → {name}" + (" (--map)" if why == "--map" else "")
                 for column, name, why in self.renamed]
        read = ", ".join(name for name, _ in self.index)
        line = f"columns read: {read}"
        if parts:
            line += f"; renamed: {', '.join(parts)}"
        if self.duplicates:
            line += "; ignored as duplicates: " + ", ".join(
                f"{column} (already {name})" for column, name in self.duplicates)
        if self.unused:
            shown = ", ".join(self.unused[:12])
            more = f" and {len(self.unused) - 12} more" if len(self.unused) > 12 else ""
            line += f"; not used: {shown}{more}"
        return line

    def as_dict(self) -> dict[str, object]:
        return {"read": [name for name, _ in self.index],
                "renamed": {column: name for column, name, _ in self.renamed},
                "unused": list(self.unused)}


def map_columns(header: Iterable[str], overrides: Mapping[str, str] | None = None
                ) -> ColumnMap:
    """Decide which column feeds which field (see the module docstring for the order)."""
    names = list(header)
    overrides = dict(overrides or {})
    missing = [src for src in overrides if src not in names]
    if missing:
        shown = ", ".join(repr(name) for name in names[:30])
        raise ColumnMapError(f"--map names {', '.join(repr(m) for m in missing)}, which the "
                             f"feed does not have; its columns are {shown}")
    claims: list[tuple[int, int, str, str]] = []  # (rank, position, field, why)
    for position, name in enumerate(names):
        if name in overrides:
            if overrides[name] != "-":
                claims.append((0, position, overrides[name], "--map"))
            continue
        clean = name.replace("\ufeff", "").strip()
        if clean in ALL_FIELDS:
            claims.append((1, position, clean, "schema"))
        elif fold(name) in ALL_FIELDS:
            claims.append((2, position, fold(name), "schema"))
        elif fold(name) in _BY_ALIAS:
            claims.append((3, position, _BY_ALIAS[fold(name)], "alias"))
    index: dict[str, int] = {}
    renamed: list[tuple[str, str, str]] = []
    duplicates: list[tuple[str, str]] = []
    for _, position, name, why in sorted(claims):
        if name in index:
            duplicates.append((names[position], name))
            continue
        index[name] = position
        if names[position] != name:
            renamed.append((names[position], name, why))
    used = set(index.values())
    duplicate_columns = {column for column, _ in duplicates}
    unused = tuple(name for position, name in enumerate(names)
                   if position not in used and name not in duplicate_columns)
    ordered = tuple(sorted(index.items(), key=lambda item: item[1]))
    return ColumnMap(ordered, tuple(sorted(renamed, key=lambda r: names.index(r[0]))),
                     unused, tuple(duplicates))
