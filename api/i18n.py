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
        "low_confidence": "Low risk, low confidence: too little text to tell",
        "low_confidence_intro": "The listing is too short or too plain for the checker to tell "
        "either way. Here is what to check yourself:",
        "checks": [
            "Ask for the company's full legal name and find its official website or phone "
            "number yourself, not from the ad.",
            "Ask for the full job description, the workplace address and the pay in writing.",
            "Never pay a fee, a deposit or for training to get a job.",
            "Do not send ID, bank card details or codes from text messages before a signed "
            "contract.",
        ],
        "reasons_flags": "Why: {n} warning signs, explained below.",
        "reasons_flags_one": "Why: one warning sign, explained below.",
        "reasons_none": "Why: no specific warning sign was found, and the text model's "
        "estimate is low.",
        "reasons_model_words": "Why: no specific warning sign was found, but the text model "
        "rates the wording as scam-like; the words it weighed most are listed and marked "
        "below.",
        "reasons_no_particular_words": "Why: no specific warning sign was found. The text "
        "model's estimate rests on the listing's overall resemblance to scams it learned "
        "from, not on particular words: a reason to check, not evidence.",
        "model_words_heading": "Words the model weighed",
        "model_words_intro": "These words raised the text model's estimate most (each figure "
        "says by how much it multiplied the odds). They are what the model weighed, not "
        "proof: on a false alarm they are ordinary words.",
        "model_words_lowering": "Words that lowered it (not suspicious):",
        "why_number": "Why this number? The words the text model weighed",
        "why_number_intro": "The text model rates this listing low. These words moved its "
        "estimate most; they are not marked in the listing, because on a low estimate they "
        "are ordinary words, not warning signs.",
        "term_lowers": "odds ×{x}",
        "model_words_none": "No single word moved the text model's estimate much.",
        "no_particular_words": "The words shown account for less than half of the model's "
        "rise above the usual rate: its estimate rests on no particular words.",
        "model_words_caveat": "The text model only reads wording; it cannot check the "
        "employer.",
        "term_raises": "odds ×{x}",
        "model_mark_title": "A word the text model weighed",
        "estimate_heading": "How likely is a scam?",
        "probability": "Estimated chance that this is a scam: {p}",
        "meaning": "What this means: of all listings that get this figure on a job platform "
        "where about 5 in 100 postings are scams, {k} are scams.",
        "in_ten": {"<1": "fewer than 1 in 10", ">9": "more than 9 in 10",
                   "k": "about {k} in 10"},
        "assumes": "The figure assumes a job platform's mix of postings. A message sent to you "
        "directly (text message, chat) is not a platform listing, so there the figure is only "
        "a guide: the warning signs above matter more than the number.",
        "short_text": "The text is short, so the model had little to go on: the figure stays "
        "near the usual rate unless a warning sign is found.",
        "bands": "Risk levels are fixed bands of this figure: low below 20%, medium from 20%, "
        "high from 50%.",
        "raised_by_flags": "The warning signs above raised this figure: each sign counts by how "
        "much more often it appears in real scam texts than in real legit postings. The text "
        "model on its own estimated {m}.",
        "flags_heading": "Warning signs found",
        "no_flags": "No specific warning signs were found.",
        "found": "Found in the listing:",
        "listing_lang": "The listing is in {listing}; explanations are shown in English, the "
        "language of this page (switch above).",
        "lang_names": {"en": "English", "zh": "Chinese"},
        "advice": "What to do:",
        "listing_heading": "The listing, with warning signs marked",
        "listing_heading_both": "The listing, with warning signs and the words the model "
        "weighed marked",
        "listing_heading_model": "The listing, with the words the model weighed marked",
        "listing_heading_plain": "The listing",
        "legend_title": "How the marks read",
        "legend_sample": "words",
        "legend_sign": "Warning sign: a red-flag rule matched these words (underlined, with "
        "⚠). Select it to read why.",
        "legend_model": "Word the text model weighed: it raised the model's estimate (dashed "
        "outline, with ◇). Not proof: on a false alarm these are ordinary words.",
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
            "high": "高风险：看起来像诈骗",
            "medium": "中风险：请提高警惕，先核实再继续",
            "low": "低风险：未发现明显的诈骗迹象",
        },
        "low_confidence": "低风险，但把握不大：文字太少，无法判断",
        "low_confidence_intro": "这则招聘内容太短或太笼统，本工具无法判断。请自己核实以下几点：",
        "checks": [
            "索要公司的完整名称，自己查找公司官网或官方电话，不要用广告里留的联系方式。",
            "要求对方以书面形式提供完整的职位描述、工作地址和薪资。",
            "找工作不需要交任何费用、押金或培训费。",
            "签订正式合同之前，不要提供身份证、银行卡信息或短信验证码。",
        ],
        "reasons_flags": "原因：发现 {n} 处可疑之处，详见下文。",
        "reasons_flags_one": "原因：发现 1 处可疑之处，详见下文。",
        "reasons_none": "原因：没有发现具体的可疑之处，文字模型的估计也很低。",
        "reasons_model_words": "原因：没有发现具体的可疑之处，但文字模型认为措辞像诈骗信息；"
        "它最看重的词列在下面，并在原文中标出。",
        "reasons_no_particular_words": "原因：没有发现具体的可疑之处。文字模型的估计来自这则招聘与"
        "它学过的诈骗信息的整体相似，而不是某些具体的词：这是需要核实的理由，不是证据。",
        "model_words_heading": "模型看重的词",
        "model_words_intro": "这些词使文字模型的估计升得最多（数字表示它使几率乘以多少）。"
        "这只是模型看重的词，不是证据：误报时它们只是普通的词。",
        "model_words_lowering": "使估计降低的词（不可疑）：",
        "why_number": "为什么是这个数字？文字模型看重的词",
        "why_number_intro": "文字模型对这则招聘的估计很低。下面这些词对它的估计影响最大；"
        "它们没有在原文中标出，因为估计很低时它们只是普通的词，不是可疑之处。",
        "term_lowers": "几率 ×{x}",
        "model_words_none": "没有哪个词明显改变文字模型的估计。",
        "no_particular_words": "列出的词不到模型估计上升部分的一半：它的估计不取决于具体的词。",
        "model_words_caveat": "文字模型只读措辞，无法核实雇主。",
        "term_raises": "几率 ×{x}",
        "model_mark_title": "文字模型看重的词",
        "estimate_heading": "是诈骗的可能性有多大？",
        "probability": "估计这是诈骗的可能性：{p}",
        "meaning": "含义：在一个约每 100 则招聘中有 5 则是诈骗的招聘平台上，得到这个数字的招聘"
        "{k}是诈骗。",
        "in_ten": {"<1": "每 10 则中不到 1 则", ">9": "每 10 则中超过 9 则",
                   "k": "大约每 10 则中有 {k} 则"},
        "assumes": "这个数字假设的是招聘平台上的招聘信息。直接发给你的短信或聊天消息不是平台上的"
        "招聘，数字只能作参考：上面的可疑之处比数字更重要。",
        "short_text": "文字太短，模型依据很少：除非发现可疑之处，数字会接近通常水平。",
        "bands": "风险等级按这个数字划分，固定不变：低于 20% 为低风险，20% 起为中风险，"
        "50% 起为高风险。",
        "raised_by_flags": "上面的可疑之处提高了这个数字：每处可疑之处按它在真实诈骗信息中比在"
        "真实正常招聘中多出现多少倍计入。仅凭文字模型的估计是 {m}。",
        "flags_heading": "发现的可疑之处",
        "no_flags": "没有发现具体的可疑之处。",
        "found": "招聘原文中的相关内容：",
        "listing_lang": "这则招聘是{listing}的；说明文字使用本页的语言：中文（可在上方切换）。",
        "lang_names": {"en": "英文", "zh": "中文"},
        "advice": "建议：",
        "listing_heading": "招聘原文（已标出可疑之处）",
        "listing_heading_both": "招聘原文（已标出可疑之处和模型看重的词）",
        "listing_heading_model": "招聘原文（已标出模型看重的词）",
        "listing_heading_plain": "招聘原文",
        "legend_title": "标记说明",
        "legend_sample": "示例",
        "legend_sign": "可疑之处：这些词触发了诈骗识别规则（下划线，带 ⚠），点击查看原因。",
        "legend_model": "模型看重的词：它们使文字模型的估计升高（虚线框，带 ◇）。"
        "这不是证据：误报时它们只是普通的词。",
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


def in_ten_phrase(probability: float, lang: str) -> str:
    """"about 3 in 10", "more than 9 in 10" (never "about >9 in 10") in `lang`."""
    k = in_ten(probability)
    phrases = UI[lang]["in_ten"]
    return phrases[k] if k in phrases else phrases["k"].format(k=k)


def in_ten(probability: float) -> str:
    """How many in ten, rounded ("9", "less than 1", "nearly 10")."""
    tenths = probability * 10
    if tenths < 0.5:
        return "<1"
    if tenths > 9.5:
        return ">9"
    return f"{round(tenths)}"


def percent(probability: float) -> str:
    """A probability as a short human figure ('87%', '<1%', '>99%')."""
    value = probability * 100
    if value < 1:
        return "<1%"
    if value > 99:
        return ">99%"
    return f"{value:.0f}%"
