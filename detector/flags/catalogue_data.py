"""`personal_data_request`: ID, SSN or bank details asked for before any hiring step.

`high`: identity thieves and money-mule recruiters collect exactly this. In-person onboarding
("bring your ID on your first day", 入职带身份证) is excluded by context. The examples are
hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule, alt
from detector.flags.lexicon import NEG_EN, NEG_ZH, POST_NEG_ZH, gap_en, gap_zh, words

# --- personal_data_request -------------------------------------------------------------
_SEND_ZH = alt("(?<![开出启研收打分批印颁])发", "发送", "发给", "私发", "上传", "拍照", "拍摄",
               "拍一?张", "截图", "传", "提交", "填写?", "告诉", "报", "提供", "留下?", "登记")
_ID_ZH = alt("身份证(?:号码?|照片|正反面|复印件|扫描件|信息|图片)?", "手持身份证")
_BANK_ZH = alt("银行卡(?:号|照片|正反面|密码|信息)?", "卡号", "银行账号", "银行账户", "网银",
               "支付宝(?:账号|密码)", "支付密码", "取款密码", "验证码", "u盾", "征信")
#: Every common way to name the ID card and what is asked of it (its number, a photo of both
#: sides, a scan), and the bank card's details: the lexicon of the remote-request rules.
_ID_ANY_ZH = alt("身份证(?:件|号码?|照片|相片|正反面|正面|反面|两面|复印件|扫描件|原件|信息|图片|"
                 "拍照|照)?", "手持身份证", "二代(?:身份)?证", "身份信息", "实名信息")
_BANK_ANY_ZH = alt("银行卡(?:号码?|卡号|照片|相片|正反面|正面|反面|复印件|信息|账号|密码)?",
                   "卡号", "银行账号", "银行账户", "储蓄卡(?:号)?", "借记卡(?:号)?",
                   "收款(?:账号|账户|卡号?)", "开户行(?:信息)?", "网银(?:账号|密码)?",
                   "支付宝(?:账号|密码)", "支付密码", "取款密码")
#: Sending at a distance (a chat, an upload, a photo), not bringing the card in person.
_REMOTE_SEND_ZH = alt("发送", "发给", "发到", "发至", "发过来", "发我", "私发",
                      "(?<![开出启研收打分批印颁])发", "上传", "传给", "传过来", "传到", "拍照",
                      "拍摄", "拍一?张", "拍下来?", "截图", "扫描")
#: What cancels a remote request: a plain negation or a warning, or "at onboarding" as a
#: time (入职时, 报到当天), not as the purpose (给我们办理入职 is the scam's own reason).
_REMOTE_NEG = (NEG_ZH, NEG_EN, r"(?:入职|报到|到岗|上岗|面试)(?:时|当天|后|以后|之后)",
               r"(?:第一|1)天", r"携带|(?<!手)持")
_REMOTE_POST_NEG = (POST_NEG_ZH, r".{0,10}(?:到公司|现场|面试时|报到时|入职时|入职当天)")
_ID_EN = alt(
    r"ssn", r"social security (?:number|card|no)", r"bank (?:account|card|details|information|"
    r"info|login|statement|routing)", r"(?:account|routing) (?:number|no)", r"credit card",
    r"debit card", r"online banking", r"(?:bank |online |account )?password", r"pin(?: number)?",
    r"driver'?s licen[cs]e", r"passport", r"(?:photo )?id card", r"date of birth", r"\bdob",
    r"mother'?s maiden name", r"card (?:number|details|photos?)",
)
_SENSITIVE_EN = alt(r"ssn", r"social security", r"bank", r"routing", r"account number",
                    r"credit card", r"debit card", r"password", r"pin", r"card number",
                    r"card details", r"maiden name")

PERSONAL_DATA_REQUEST = RedFlag(
    id="personal_data_request",
    severity="high",
    title={"en": "Asks for ID or bank details up front", "zh": "索要身份证、银行卡等敏感信息"},
    explanation={
        "en": "The posting asks for identity or banking data (SSN, bank account or card "
        "numbers, passwords, ID photos, date of birth with bank details) before any hiring "
        "step. That is what identity thieves and money-mule recruiters collect.",
        "zh": "在录用之前就要求发送身份证号/照片、银行卡号、密码或验证码。"
        "这些信息会被用于冒名办卡、洗钱或盗刷。",
    },
    advice={
        "en": "Only give ID or bank details after a verified written offer, in person or via "
        "the employer's official HR system. Never share passwords or PINs.",
        "zh": "不要在网上把身份证、银行卡号、密码、验证码发给招聘方；入职时在单位现场办理即可。",
    },
    examples=Examples(
        match={
            "en": (
                "To proceed, reply with your SSN and bank account number.",
                "Send us a photo of your ID card and your debit card details for payroll setup.",
                "Please provide your online banking login so we can deposit your salary.",
                # The claim with words between its parts (issue 26).
                "Please send us a clear photo of both sides of your ID card and your bank card "
                "details.",
                "To complete onboarding, text me your full name, date of birth and social "
                "security number.",
            ),
            "zh": (
                "报名请发身份证和银行卡号给客服。", "先把身份证正反面照片和银行卡照片发过来审核。",
                "上传手持身份证照片，并提供支付宝账号密码。",
                # Every common wording, not only 正反面 (issue 26).
                "请发送身份证照片和银行卡信息给我们办理入职",
                "身份证正反面和银行卡照片拍照发过来，马上安排上岗。",
                "请上传身份证复印件及储蓄卡卡号进行实名审核。",
                "把身份信息和银行卡号都发到群内，客服给你登记。", "身份证拍照发给客服审核。",
            ),
        },
        no_match={
            "en": (
                "Please bring your passport or ID on your first day for the right to work check.",
                "Successful candidates will complete an I-9 and set up direct deposit after the "
                "offer.", "Experience with online banking products is a plus.",
                "Provide your customers with information about bank accounts, credit cards and "
                "loans.",
            ),
            "zh": (
                "入职需带身份证和工资卡到公司办理。", "持本人有效身份证，身份证复印件两张。",
                "提供身份证办理入职手续，工资发到本人银行卡。",
                "入职当天请携带身份证原件及银行卡复印件到人事部报到。",
                "不要向任何人发送身份证照片和银行卡信息。",
                # Real legit posting (58.com, orfd58_07085).
                "当天签订劳动合同，工资发到你的银行卡一、招工要求1、男女不限，16岁一45岁2、有本人二代"
                "身份证，在有效期内、有磁性（个别临时身份证无磁均可）",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_remote_id_and_bank",
            # "请发送身份证照片和银行卡信息给我们办理入职", "把身份信息和银行卡号都发到群内":
            # the ID card and the bank card's details, sent at a distance, in any wording and
            # order, whatever stands between the parts. "To arrange your onboarding" does not
            # cancel it (a real employer does that in person), so this rule has its own cues.
            patterns=(
                rf"{_REMOTE_SEND_ZH}{gap_zh(10)}{_ID_ANY_ZH}{gap_zh(16)}{_BANK_ANY_ZH}",
                rf"{_REMOTE_SEND_ZH}{gap_zh(10)}{_BANK_ANY_ZH}{gap_zh(16)}{_ID_ANY_ZH}",
                rf"{_ID_ANY_ZH}{gap_zh(14)}{_BANK_ANY_ZH}{gap_zh(12)}{_REMOTE_SEND_ZH}",
                rf"{_BANK_ANY_ZH}{gap_zh(14)}{_ID_ANY_ZH}{gap_zh(12)}{_REMOTE_SEND_ZH}",
            ),
            keywords=("身份证", "二代证", "二代身份证", "身份信息", "实名信息"),
            reach=60,
            negations=_REMOTE_NEG,
            post_negations=_REMOTE_POST_NEG,
        ),
        Rule(
            name="zh_send_id_and_bank",
            patterns=(
                rf"{_SEND_ZH}.{{0,8}}{_ID_ZH}.{{0,16}}{_BANK_ZH}",
                rf"{_SEND_ZH}.{{0,8}}{_BANK_ZH}.{{0,16}}{_ID_ZH}",
                rf"{_ID_ZH}.{{0,12}}{_BANK_ZH}.{{0,10}}(?:发|发送|发给|私发|上传|拍照|截图|传)",
                rf"{_BANK_ZH}.{{0,12}}{_ID_ZH}.{{0,10}}(?:发|发送|发给|私发|上传|拍照|截图|传)",
            ),
            keywords=("身份证", "手持身份证"),
            reach=50,
        ),
        Rule(
            name="zh_remote_id_photo",
            patterns=(
                r"手持身份证",
                r"(?:发|发送|发给|私发|上传|拍照|拍摄|截图|传)(?:一下|下|过来|给我)?.{0,6}"
                r"身份证(?:正反面|照片|图片|号码?)",
                r"身份证(?:正反面|照片|图片)(?:.{0,6})(?:发|发送|上传|传)",
                # A photo or scan of the card, sent: 身份证复印件拍照发过来, 拍一下身份证发我.
                rf"(?:拍照|拍摄|拍一?张|拍一下|拍下来?|扫描){gap_zh(6)}身份证{gap_zh(8)}(?:发|传|上传)",
                rf"身份证(?:复印件|扫描件|原件|正面|反面|两面)?(?:拍照|拍一?张|拍一下|拍下来?|扫描)"
                rf"{gap_zh(6)}(?:发|传|上传)",
            ),
            keywords=("身份证",),
            reach=40,
        ),
        Rule(
            name="zh_bank_secrets",
            patterns=(
                rf"{_SEND_ZH}.{{0,8}}(?:银行卡密码|卡密码|支付密码|取款密码|登录密码|网银密码|验证码|网银|u盾|"
                r"支付宝账号密码)", r"(?:银行卡|支付宝|网银)(?:账号)?(?:和|及|与|加)?密码",
                r"(?:发|发送|私发|上传|拍照|截图|告诉)(?:一下|下|过来|给我)?.{0,6}银行卡(?:号|照片|正反面)",
            ),
            keywords=("密码", "验证码", "网银", "u盾", "银行卡"),
            reach=40,
        ),
        Rule(
            name="en_send_sensitive",
            patterns=(
                words(r"(?:send|provide|submit|email|e-mail|text|upload|forward|reply with|give|"
                      r"share|fill in|enter)(?: us| me| our \w+)?(?: with)? (?:your |a |the )?"
                      r"(?:full |copy of your |photo of your |picture of your |scan of your |"
                      r"photos? of your )?(?:\w+ ){0,2}" + _ID_EN + r".{0,40}" + _SENSITIVE_EN),
                words(r"(?:send|provide|submit|email|text|upload|reply with|give|share)"
                      r"(?: us| me)?(?: with)? (?:your |the )?(?:ssn|social security number|"
                      r"bank (?:account|card|login) (?:number|details|info\w*|password)|"
                      r"routing number|account number|online banking (?:login|password|details)|"
                      r"(?:bank |card )?password|card (?:number|details|photos?)|"
                      r"(?:credit|debit) card (?:number|details|photos?)|mother'?s maiden name)"),
                # The claim with words between its parts: "send us a clear photo of both sides
                # of your ID card and your bank card details", "text me your full name, date
                # of birth and social security number". The reader's own data ("your"), never
                # their customers'.
                words(rf"(?:send|provide|submit|email|e-mail|text|upload|forward|reply with|give|"
                      rf"share|fill in|enter)(?: us| me| our \w+)?(?: with)?{gap_en(8)}your"
                      rf"(?! (?:customers?|clients?|members?|patients?|users?|students?|tenants?|"
                      rf"guests?|team)(?![a-z])){gap_en(3)}{_ID_EN}.{{0,40}}{_SENSITIVE_EN}"),
                words(rf"(?:send|provide|submit|email|text|upload|reply with|give|share)"
                      rf"(?: us| me)?(?: with)?{gap_en(6)}(?:ssn|social security number|"
                      r"bank (?:account|card|login) (?:number|details|info\w*|password)|"
                      r"routing number|"
                      r"online banking (?:login|password|details)|bank login)"),
            ),
            keywords=("ssn", "social security", "bank", "routing", "account number", "credit card",
                      "debit card", "password", "pin", "card number", "card details", "card photo",
                      "maiden name", "online banking"),
            reach=120,
        ),
    ),
    negations=(
        NEG_ZH, NEG_EN, r"入职(?:时|当天|办理|手续)?", r"带|携带|持", r"办理", r"(?:第一|1)天",
        r"(?:on|at|for) (?:your )?(?:first day|interview|onboarding|orientation)",
        r"(?:after|once|upon) (?:an? |the |your )?(?:offer|hire|hiring|appointment|acceptance)",
        r"right to work", r"i-9", r"in person",
    ),
    post_negations=(
        POST_NEG_ZH, r".{0,10}(?:入职|办理|到公司|现场|面试时|报到)",
        r".{0,40}(?:on|at|for) (?:your |the )?(?:first day|interview|onboarding|orientation|"
        r"payroll setup after)", r".{0,40}(?:after|once|upon) (?:an? |the |your )?(?:offer|hire|"
        r"hiring|appointment|acceptance)", r".{0,40}(?:right to work|i-9|in person|"
        r"background check)",
    ),
    exceptions=(r"工资.{0,8}(?:银行卡|卡)", r"银行卡.{0,4}(?:发放|发工资|打卡|代发)",
                r"direct deposit", r"验证码(?:登录|功能|服务|接口|平台|系统|识别|模块)",
                r"密码(?:学|算法|技术|产品|模块|应用)",
                r"(?:银行卡|信用卡)(?:业务|销售|推广|中心)"),
)
