"""The page's words in English and Chinese (flag texts come from the catalogue)."""

from __future__ import annotations

from typing import Any

UI: dict[str, dict[str, Any]] = {
    "en": {
        "html_lang": "en",
        "title": "Job scam checker",
        "intro": "Paste a job listing to check it for common signs of a scam.",
        "label_text": "Job listing (paste the whole ad)",
        "label_company": "Company (optional)",
        "label_salary": "Salary (optional)",
        "label_contact": "Contact details (optional)",
        "submit": "Check this listing",
        "switch": "中文",
        "switch_lang": "zh",
        "risk": {
            "high": "High risk: this looks like a scam",
            "medium": "Medium risk: be careful and verify before you go further",
            "low": "Low risk: no strong signs of a scam found",
        },
        "probability": "Estimated probability that this is a scam: {p}",
        "raised_by_flags": "The risk comes from the warning signs below: what they describe "
        "is a scam pattern, whatever the statistical estimate says.",
        "flags_heading": "Warning signs found",
        "no_flags": "No specific warning signs were found.",
        "advice": "What to do:",
        "listing_heading": "The listing, with warning signs highlighted",
        "limits_heading": "What this tool can't know",
        "limits": [
            "It cannot verify that the employer exists or that the job is real: check the "
            "company through its own official website or phone number.",
            "It only reads the text. It was trained on public data (the EMSCAD job-ad corpus "
            "and Chinese 58.com listings), so new kinds of scams may look ordinary to it.",
            "A low score is not a guarantee. Never pay a fee or hand over ID or bank details "
            "before you have a signed contract.",
        ],
        "again": "Check another listing",
        "error_empty": "Please paste the job listing first.",
        "error_too_long": "This listing is too long: {n} characters (the limit is {limit}).",
        "error_body": "The form data was too large to read (limit {limit} bytes).",
        "fields": {
            "title": "Title", "company": "Company", "company_profile": "Company profile",
            "description": "Description", "requirements": "Requirements",
            "benefits": "Benefits", "salary": "Salary", "location": "Location",
            "employment_type": "Employment type", "required_experience": "Experience",
            "required_education": "Education", "industry": "Industry",
            "function": "Function", "department": "Department", "contact": "Contact",
            "text": "Listing",
        },
        "severity": {"high": "serious", "medium": "warning", "low": "minor"},
    },
    "zh": {
        "html_lang": "zh-CN",
        "title": "招聘诈骗检测",
        "intro": "粘贴一则招聘信息，检查其中是否有常见的诈骗迹象。",
        "label_text": "招聘信息（粘贴完整内容）",
        "label_company": "公司名称（选填）",
        "label_salary": "薪资（选填）",
        "label_contact": "联系方式（选填）",
        "submit": "检测这则招聘",
        "switch": "English",
        "switch_lang": "en",
        "risk": {
            "high": "高风险：这很可能是诈骗",
            "medium": "中风险：请提高警惕，先核实再继续",
            "low": "低风险：未发现明显的诈骗迹象",
        },
        "probability": "估计的诈骗概率：{p}",
        "raised_by_flags": "风险等级来自下面的可疑之处：它们描述的是典型诈骗手法，与统计估计无关。",
        "flags_heading": "发现的可疑之处",
        "no_flags": "没有发现具体的可疑之处。",
        "advice": "建议：",
        "listing_heading": "招聘原文（可疑内容已标出）",
        "limits_heading": "本工具无法知道的事",
        "limits": [
            "它无法核实雇主是否真实存在、岗位是否真实：请通过公司官网或官方电话自行核实。",
            "它只读文字。模型用公开数据训练（EMSCAD 招聘广告语料和 58 同城招聘信息），"
            "新出现的骗术可能看起来很正常。",
            "低分不等于安全。签订正式合同之前，不要交任何费用，也不要提供身份证或银行卡信息。",
        ],
        "again": "检测另一则招聘",
        "error_empty": "请先粘贴招聘信息。",
        "error_too_long": "内容太长：{n} 个字符（上限 {limit}）。",
        "error_body": "提交的数据太大，无法读取（上限 {limit} 字节）。",
        "fields": {
            "title": "职位", "company": "公司", "company_profile": "公司简介",
            "description": "职位描述", "requirements": "任职要求", "benefits": "福利",
            "salary": "薪资", "location": "地点", "employment_type": "工作类型",
            "required_experience": "经验要求", "required_education": "学历要求",
            "industry": "行业", "function": "职能", "department": "部门",
            "contact": "联系方式", "text": "招聘内容",
        },
        "severity": {"high": "严重", "medium": "警告", "low": "轻微"},
    },
}


def percent(probability: float) -> str:
    """A probability as a short human figure ('87%', '<1%', '>99%')."""
    value = probability * 100
    if value < 1:
        return "<1%"
    if value > 99:
        return ">99%"
    return f"{value:.0f}%"
