"""Flags about money flowing from or through the applicant: fees and payment schemes.

Both are `high`: a real employer never charges to hire and never routes its money through an
applicant's account. The examples here are hand-written for tests and demos (not data).
"""

from __future__ import annotations

from detector.flags.base import Examples, RedFlag, Rule, alt
from detector.flags.lexicon import (
    NEG_EN,
    NEG_ZH,
    NUM_ZH,
    POST_NEG_EN,
    POST_NEG_ZH,
    W,
    gap_en,
    gap_zh,
    words,
)

# --- upfront_fee --------------------------------------------------------------------
#: Fee words that on their own mean "the applicant pays".
_FEE_ZH_STRONG = alt(
    "培训费", "报名费", "入职费", "上岗费", "办卡费", "面试费", "介绍费", "中介费", "建档费",
    "激活费", "服装费", "工服费", "制服费", "工装费", "资料费", "押金", "保证金",
    "服装押金", "工牌费", "床位费", "住宿押金", "餐卡押金", "考证费", "认证费", "岗前培训费",
    "培训费用", "报名费用", "服装费用", "工本费", "上岗证费", "办证费",
    "化妆费", "体检卡费", "押金费", "诚信金", "会员费用", "解冻费", "激活金", "入会费", "入群费",
    "材料押金",
)
#: Fee words that only count with a payment verb or an amount next to them.
#: 推荐费/内推费 are here, not above: a referral fee is usually paid *to* an employee who
#: refers someone (内推成功奖励推荐费), and only a fee the applicant pays is a red flag.
_FEE_ZH_WEAK = alt("费用", "学费", "管理费", "手续费", "材料费", "会员费", "会费", "加盟费",
                   "代理费", "信息费", "服务费", "成本费", "押金费", "体检费用?", "推荐费",
                   "内推费")
#: The same without the generic 费用, for "fee + amount" (费用600元 is usually board).
_FEE_ZH_NAMED = alt("学费", "管理费", "手续费", "材料费", "会员费", "会费", "加盟费", "代理费",
                    "信息费", "服务费", "成本费")
_PAY_ZH = alt("交", "缴", "缴纳", "交纳", "支付", "付", "先付", "转账?", "充", "出")
#: Verbs that say the applicant pays, unambiguous enough to reach across a clause's modifiers
#: (交 alone is not: 交通费用).
_PAY_ZH_EXPLICIT = alt("缴纳", "交纳", "缴", "支付", "先交", "先付", "需交", "须交", "要交", "得交",
                       "请交")
_SELF_PAY_ZH = alt("自理", "自付", "自费", "自备", "自行承担", "个人承担", "本人承担", "由个人",
                   "由本人", "需自理", "另付", "另交", "员工承担", "求职者承担")
_AMOUNT_ZH = rf"(?:[一二两三四五六七八九十百千]+|{NUM_ZH})\s?(?:元|块|rmb)"
_BUY_ZH = alt("购买", "自购", "自费购买", "自行购买", "买", "办理", "需办", "购置", "自费办理")
#: What a fake employer makes you buy to start (the SIM card, the phone, the course...).
_GEAR_ZH = alt("手机卡", "电话卡", "流量卡", "上网卡", "物联网卡", "工作卡", "工作手机", "手机",
               "电脑", "笔记本电脑", "笔记本", "平板", "工作设备", "设备", "软件", "激活码", "教材",
               "培训教材", "资料包", "入门套装", "工装", "工服", "制服")
#: Bought as "the condition of starting" only (education sales sell courses to clients).
_COURSE_ZH = alt("课程", "培训课程", "认证课程", "网课", "会员", "vip")
_SELLER_ZH = alt("平台", "商家", "店铺", "网站", "供应商", "厂家", "渠道", "app", "机构",
                 "培训机构", "公司", "商城", "商行", "门店")

_FEE_EN = alt(
    "training", "registration", "application", "processing", "onboarding", "enrol?lment",
    "certification", "equipment", "uniform", "starter kit", "kit", "membership", r"sign[- ]?up",
    "activation", "placement", "background check", "screening", "visa", "work permit",
    "orientation", "interview", "admin(?:istration|istrative)?", "insider referral", "referral",
    "job placement", "recruitment", "agency", "documentation", "file", "security",
)
_REFUND_TAIL_EN = (r"(?:,? (?:which is |which will be |and )?(?:fully |100% )?refund(?:ed|able)"
                   r"(?: (?:later|after|once|when|upon|with|in)(?: [\w$]+){0,3})?)?")
_APPLICANT_EN = words(r"you", r"your", r"new hires?", r"candidates?", r"applicants?",
                      r"employees?", r"before (?:you )?(?:start|begin)", r"required",
                      r"mandatory", r"must")
_MONEY_EN = r"(?:[$£€₹]\s?\d[\d,.]*|\d[\d,.]*\s?(?:usd|dollars|pounds|euros|rs|rupees))"
#: Fees paid *to* the worker ("£750 relocation fee", "£50 call out fee", "£3,000 joining
#: fee"): an amount followed by one of these within the claim's window is pay, not a charge.
_TO_WORKER_EN = (r"(?:joining|relocation|relocating|call[- ]?outs?|retention|retainer|sign[- ]?on|"
                 r"signing|welcome|golden|referral|finder'?s|loyalty|incentive|attendance|session|"
                 r"locum|consultation|consultancy|speaker|speaking|honorarium|appearance)(?![a-z])")
_GAP_TO_WORKER_EN = rf"(?:[ \t]+[^\s.;!?]+){{0,4}}?[ \t]+{_TO_WORKER_EN}"
#: Who buys, and that they must: "you must", "new agents are required to", "you'll be asked to".
_BUYER_EN = (r"(?<![a-z])(?:you|you'll|applicants?|candidates?|new (?:hires?|starters?|agents?|"
             r"members?|staff|recruits?|employees?)|trainees?|employees?|workers?|agents?|"
             r"recruits?)(?: will| must| need to| are required to| have to| should| shall| would|"
             r" are expected to| are asked to| will be required to| will be asked to| be required "
             r"to| be asked to)")
#: "To get started, buy ...", "Before your first shift, purchase ...": the purchase is what
#: starting takes.
_START_CUE_EN = (r"(?<![a-z])(?:to (?:start|begin|get started|activate|unlock|receive|work|be "
                 r"hired|qualify)|before (?:you (?:start|begin)|starting|training|your first))"
                 r"(?: [\w']+){0,4},? (?:please |first |you (?:must|need to|will need to|"
                 r"have to) )?")
#: What a fake employer makes you buy to start: the work phone, the SIM or phone card, the
#: laptop, the equipment package.
_GEAR_EN = (r"(?:(?:work|company|business|office|company[- ]issued|dedicated|new|own)[ -](?:phone|"
            r"cell ?phone|mobile|smartphone|laptop|computer|tablet|device|headset|sim)s?|"
            r"(?:phone|sim|data|calling|prepaid) ?cards?|sim cards?|headsets?|laptops?|"
            r"(?:equipment|starter|training|welcome|onboarding|work)[ -](?:package|kit|bundle|"
            r"pack)s?|"
            r"starter kits?|equipment|software licen[cs]es?)(?![a-z])")
#: The start of a clause (of the text, a line, or after a sentence end): where an order
#: ("Pay a fee.") begins.
_CLAUSE_START = r"(?:(?<![^\n.!?:;])|(?<=[\n.!?:;] ))"
#: Who pays, and that they must: "you will", "applicants are required to".
_PAYER_EN = (r"(?:you|applicants?|candidates?|new (?:hires?|starters?)|trainees?|employees?|"
             r"workers?)(?: will| must| need to| are required to| have to| should| shall| would)")

UPFRONT_FEE = RedFlag(
    id="upfront_fee",
    severity="high",
    title={"en": "Asks you to pay to get the job", "zh": "要求求职者先交钱"},
    explanation={
        "en": "The posting asks the applicant to pay (training, registration, deposit, uniform, "
        "kit, medical check at a named clinic, 'refundable' fees). Real employers pay you; "
        "they do not charge you to be hired.",
        "zh": "招聘要求求职者先付费（培训费、报名费、押金、服装费、指定医院体检费、"
        "“入职后返还”的费用等）。正规单位招人不向求职者收钱。",
    },
    advice={
        "en": "Do not pay anything to apply or start. Report the posting to the platform.",
        "zh": "不要交任何费用；凡是入职前收费的都要警惕，可向平台举报。",
    },
    examples=Examples(
        match={
            "en": (
                "Before you start you must pay a $99 registration fee, refundable after 3 months.",
                "New hires purchase the starter kit for $150, then you can begin.",
                "A refundable deposit of $200 is required for the work laptop.",
                "Send $75 for your training materials to secure your position.",
                "You must purchase a laptop and software from our approved vendor before you "
                "start; the cost will be refunded with your first paycheck.",
                "All equipment must be purchased from Apex Office Supplies before training "
                "starts; the company refunds it after 30 days.",
                "To get started, enroll in our onboarding course for $149.",
                "New hires complete a mandatory certification course for $250, refunded after "
                "90 days.",
                # Claims with modifiers inserted between their parts (issue 26).
                "Pay a $50 upfront fee.",
                "Data entry clerk, work from home. Pay a $50 upfront registration fee to start.",
                "a small one-time refundable onboarding and registration fee",
                "You will need to pay a small one-time onboarding fee before your first shift.",
                # Buy-to-start: the work phone, the SIM card, the headset (issue 26).
                "You must purchase a new SIM card for the company line; cost is $30.",
                "New agents are required to buy their own headset and a company SIM card ($45) "
                "before training.",
                "To get started you need a work phone, which you buy from us for $80.",
            ),
            "zh": (
                "数据标注员，需先交培训费2580元，收入满一万后全额退还。",
                "入职需交押金300元、服装费100元，到指定医院体检费用自理。",
                "报名请先交报名费50元，上岗后返还。", "先交880元资料费，即可安排上岗。",
                "入职前需在公司指定的平台购买工作手机卡，费用上岗后全额返还。",
                "新人需缴纳2580元培训费，收入满一万元全额退还。",
                "入职前需办一张公司指定的电话卡，费用自理。",
                "先去XX科技公司购买一台设备才能上岗。",
                "需开通会员后才能接单，会员费198元。", "入会费298元，刷满300单全额返还。",
                "求职者需先交推荐费300元，安排工作。", "淘宝兼职团队，298入会，一个月赚一万。",
                "入职前需先行缴纳一笔300元的岗前统一培训费用",
                # Real scam post (job_messages_zh_extra, zhmsg-0051): the fee and its amount apart.
                "会费只要25元每单佣金4－10元只要你有电脑和手机就行",
                "上岗前需自费购买公司统一的工作手机，费用800元。",
                "需要自己买一部工作手机，到我们指定的店里买。",
            ),
        },
        no_match={
            "en": (
                "There are no fees to apply and we will never ask you for payment.",
                "We reimburse your NMC registration fees and offer paid training.",
                "Free training is provided. No cost to apply.",
                "We will pay your first year's professional registration fee.",
                "All equipment is provided by the company, including a laptop and phone.",
                "Purchase office supplies from approved vendors using the company card.",
                "We pay a referral fee of $500 for each successful hire you refer.",
                "Our procurement team will purchase equipment from approved suppliers.",
                # Real legit posting (EMSCAD): a referral bonus paid to staff.
                "Referral Bonus: we're offering £500 for a successful placement.",
                "we reimburse your registration fee",
                "no registration or training fee of any kind",
                "Billing clerk: pay close attention to the fee schedule of each client.",
                # Real legit postings (NHS): fees paid *to* the worker.
                "A £750 relocation fee where a nurse is moving 20 miles from an address that was "
                "50 miles from your new work base;",
                "Salary: £15 per day retainer,£25 per night retainer and a £50.00 call out fee",
                "You will be issued a company phone and SIM card on your first day.",
                "Employees may purchase discounted phones through our employee store.",
                # Real legit posting (NHS, nhs_916208680): a DBS check, deducted from pay.
                "As part of the pre-employment checks, successful candidates will be required to "
                "pay for their own DBS check at a cost of £46. Deductions will be taken from the "
                "first 3",
            ),
            "zh": (
                "仓库分拣员，本公司直招，不收押金，不收取任何费用。",
                "话务员，免费带薪培训，包吃住，无任何费用。",
                "入职体检费由公司承担，服装免费发放。", "凡是收费的都是骗子，本公司拒绝收费。",
                "工作设备由公司提供，无需自费购买。", "负责为客户办理手机卡和宽带业务。",
                # Referral bonuses paid to the employee who refers, not fees.
                "内推成功可获得推荐费2000元，欢迎推荐身边的优秀人才。",
                "数据标注员，员工推荐入职奖励推荐费500元/人。",
                "负责到供应商处采购设备，跟进到货验收。",
                # Real legit posting (58.com).
                "离职感谢金+节假日福利+员工体检+人才推荐奖+五险+内部转岗奖励",
                # Real recruiting SMS (sms_scam_zh, legit): a job fair's booth fee for employers.
                "排现场招聘展位。服务费xxx元，会员价格更优。",
                "不收取任何费用",
                # Real message (sms_scam_zh, legit): a driving school gives money back.
                "介绍新学员来学车有学费减免、考出的介绍来可以返学费x-xxx元话费或现金到银行卡支付宝",
                "工作需要的手机卡由公司统一办理，不收任何费用。", "公司配发工作手机和电话卡。",
                # Real scam post's boast (sms_scam_zh): a computer bought with earnings, no fee.
                "以及靠兼职给自己买了电脑的会员～",
            ),
        },
    ),
    rules=(
        Rule(
            name="zh_fee_noun",
            patterns=(_FEE_ZH_STRONG,),
            keywords=("培训费", "报名费", "入职费", "上岗费", "办卡费", "面试费", "介绍费",
                      "中介费", "建档费", "激活费", "服装费", "工服费", "制服费", "工装费",
                      "资料费", "押金", "保证金", "工牌费", "床位费", "考证费", "认证费", "工本费",
                      "办证费", "化妆费", "体检卡费", "诚信金",
                      "会员费用", "解冻费", "激活金", "入会费", "入群费"),
        ),
        Rule(
            name="zh_pay_fee",
            patterns=(
                rf"{_PAY_ZH}.{{0,6}}{_FEE_ZH_WEAK}",
                # The claim's parts apart: 缴纳一笔300元的岗前统一培训费用, 会费只要25元.
                rf"{_PAY_ZH_EXPLICIT}{gap_zh(14)}{_FEE_ZH_WEAK}",
                rf"{_FEE_ZH_NAMED}{gap_zh(4)}[:：]?\s?{_AMOUNT_ZH}",
                rf"{_FEE_ZH_NAMED}.{{0,4}}{_SELF_PAY_ZH}",
                rf"(?:需|须|要|请|得)先?{_PAY_ZH}{gap_zh(12)}{_AMOUNT_ZH}",
                rf"先{_PAY_ZH}{gap_zh(12)}{_AMOUNT_ZH}",
            ),
            keywords=("费用", "学费", "管理费", "手续费", "材料费", "会员费", "会费", "加盟费",
                      "代理费", "信息费", "服务费", "成本费", "押金费", "体检费", "推荐费",
                      "内推费", "需交", "需缴", "需支付",
                      "需付", "需先", "须交", "须缴", "须支付", "须先", "要交", "要缴", "要付",
                      "要先", "请交", "请缴", "请支付", "请先", "得交", "得先", "先交", "先缴",
                      "先付", "先转", "先充", "先支付"),
            reach=40,
        ),
        Rule(
            name="zh_refund_after_earning",
            patterns=(
                r"(?:收入|工资|赚|挣|业绩)(?:满|到|够|达到?).{0,8}(?:退还|返还|退回|全额退|返现|返款|退款|退费)",
                r"(?:入职|上岗|转正|工作满?).{0,8}(?:后|以后).{0,4}(?:返还|退还|退回|全额退)",
                r"(?:学费|培训费|押金|保证金|报名费|服装费|资料费|会费|入会费|会员费).{0,30}"
                r"(?:返还|退还|退回|全额退)",
            ),
            keywords=("退还", "返还", "退回", "全额退", "返现", "返款", "退款", "退费"),
            context=(r"学费|培训费|押金|保证金|报名费|服装费|资料费|会费|费用|(?:交|缴)(?:纳|费|钱)|购买|自购|"
                     r"买(?:手机|电脑|设备|卡|课程|软件)",),
            window=40,
            reach=60,
        ),
        Rule(
            name="zh_buy_equipment",
            # Buying the tools of the job as a condition of starting: the SIM/data card,
            # phone, computer, software or course the "employer" names.
            patterns=(rf"{_BUY_ZH}(?:一[张台部套个份])?(?:公司|工作|指定|专用|我们|平台|内部)?的?"
                      rf"{_GEAR_ZH}",
                      # The claim with modifiers between its parts: 需自费购买公司统一的工作手机.
                      # (Not what was bought already: 靠兼职给自己买了电脑.)
                      rf"(?:自费|(?<!给)自己|自行|需要?|必须|须|先|得|请|要求)先?{_BUY_ZH}(?!了|过)"
                      rf"{gap_zh(8)}{_GEAR_ZH}",
                      rf"{_BUY_ZH}(?:公司|我们|平台)?指定的?{alt(_GEAR_ZH, _COURSE_ZH)}",
                      rf"(?:在|从|到|去|找)(?:我们|公司|平台)?指定的?{_SELLER_ZH}.{{0,6}}"
                      rf"(?:购买|购置|买|下单|办理|报名|充值)",
                      rf"(?:购买|购置|买|办理){alt(_GEAR_ZH, _COURSE_ZH)}.{{0,12}}"
                      r"(?:才能|方可|才可以|就能|即可)"
                      rf"(?:上岗|入职|开始|工作|接单|派单|领任务)",
                      # "开通会员后才能接单", "先交会费才可以领任务": paying to be given work.
                      r"(?:开通|办理|购买|充值|缴纳|交|办)(?:一个|个)?(?:vip|会员|账号|权限|激活码|入会|"
                      r"工号|工作号)(?:费)?.{0,8}?(?:才能|方可|才可以|就能|即可|后才|之后)(?:.{0,4})?"
                      r"(?:接单|派单|上岗|工作|赚钱|领任务|做任务|开始|兼职|入职)",
                      # "办一张公司的电话卡", "去XX公司买一台设备": the SIM or the machine from
                      # a seller the "employer" names (the context says it is required).
                      rf"(?:办|开)一?张(?:公司|我们|平台|指定|专用|工作|的){{0,3}}{_GEAR_ZH}",
                      rf"(?:在|从|到|去|找|向)[^。,;!?\n]{{1,12}}?{_SELLER_ZH}(?:那里|处)?(?:统一)?"
                      rf"(?:购买|购置|订购|领购|买)(?:一[张台部套个份])?.{{0,4}}{_GEAR_ZH}"),
            keywords=("购买", "自购", "买", "办理", "需办", "购置", "指定", "开通", "充值", "缴纳",
                      "交会", "交入", "办一", "办张", "开一", "开张", "订购", "领购"),
            reach=40,
            # Its claims spell out their own windows; a window more reads a purchase for
            # oneself as one to start ("买新电脑", "购买现成软件": real legit texts).
            spread=False,
        ),
        Rule(
            name="zh_join_fee",
            # "298入会", "入会只要98": paying to join the part-time "team" that hands out work.
            # (?<!收): 收入会达到 is "income will reach", not 入会.
            patterns=(rf"{NUM_ZH}\s?(?:元|块)?(?:就能|就可以|即可)?入会|(?<!收)入会(?:只要|只需|仅需|需要?|"
                      r"费用?|"
                      rf"就?交)?\s?{NUM_ZH}\s?(?:元|块)?",),
            keywords=("入会",),
            context=(r"兼职|赚|挣|会员|刷单|淘宝|收入|投资|返还|日结|做单|任务",),
            window=60,
            reach=30,
        ),
        Rule(
            name="zh_designated_clinic",
            patterns=(r"指定(?:的)?(?:医院|体检中心|体检机构|诊所|机构|地点)(?:进行|做|去)?体检",
                      r"(?:到|去|在)指定(?:的)?(?:医院|体检中心|诊所)"),
            keywords=("指定",),
        ),
        Rule(
            name="en_fee_with_amount",
            # Claims, not adjacent words: "registration and onboarding fee of $50", "$50
            # upfront registration fee", "Pay a $50 upfront fee." (see `gap_en`).
            patterns=(
                rf"{W}{_FEE_EN}{gap_en(3)}(?:fee|fees|charge|deposit|cost)s?(?: of| is| are|:)?"
                rf"\s?(?:only |just |a |an )?{_MONEY_EN}{_REFUND_TAIL_EN}",
                rf"{_MONEY_EN}(?!{_GAP_TO_WORKER_EN}){gap_en(4)}(?:fee|deposit|charge)s?(?![a-z])"
                rf"{_REFUND_TAIL_EN}",
                rf"{W}(?:send|remit|wire)(?: us)? (?:a |an |the )?{_MONEY_EN}",
                rf"{W}pay (?:us )?(?:only |just )?{_MONEY_EN} (?:for|to cover|to secure|to register"
                rf"|to get|to start|to receive|to unlock|to activate) (?:your|the|a|an)",
                rf"{W}(?:fee|deposit) (?:of|is|:) ?{_MONEY_EN}",
                # An order to pay a fee, at the start of a clause: "Pay a $50 upfront fee."
                rf"{_CLAUSE_START}(?:please |kindly |simply |just |then |first |now )?pay"
                rf"(?! (?:close |careful |special |particular )?attention)(?: us)?{gap_en(5)}"
                r"(?:fee|fees|deposit|deposits|charge)(?![a-z])",
            ),
            keywords=("fee", "deposit", "charge", "cost", "pay", "send", "remit", "wire"),
            reach=120,
        ),
        Rule(
            name="en_buy_from_vendor",
            # "Buy the laptop/software/course from our approved vendor": the purchase is the
            # condition of starting, and the vendor is part of the scheme.
            patterns=(
                words(r"(?:purchase|buy|order|get|obtain|pay for) (?:[\w()'-]+ ){0,6}"
                      r"(?:from|through|via|at) (?:our|the|a|an|one of our|this) "
                      r"(?:approved|designated|certified|authori[sz]ed|partner|recommended|"
                      r"nominated|official|trusted) "
                      r"(?:vendors?|suppliers?|stores?|providers?|partners?|shops?|dealers?|"
                      r"sellers?|merchants?)"),
            ),
            keywords=tuple(f"{q} {n}" for q in ("approved", "designated", "certified", "authorized",
                                                "authorised", "partner", "recommended",
                                                "nominated", "official", "trusted")
                           for n in ("vendor", "supplier", "store", "provider", "partner", "shop",
                                     "dealer", "seller", "merchant")),
            context=(_APPLICANT_EN,),
            window=80,
            reach=140,
        ),
        Rule(
            name="en_buy_gear",
            # Buying the tools of the job to start: "You must purchase a new SIM card for the
            # company line", "required to buy their own headset and a company SIM card ($45)",
            # "a work phone, which you buy from us for $80". The buyer is the applicant (or
            # the order is theirs); "you will be issued a company phone" is not a purchase.
            patterns=(
                rf"{_BUYER_EN}(?: first| then| also)?(?: need to| be required to| have to)? "
                rf"(?:buy|purchase|pay for)(?![a-z]){gap_en(5)}{_GEAR_EN}",
                rf"{_START_CUE_EN}(?:buy|purchase|pay for)(?![a-z]){gap_en(4)}{_GEAR_EN}",
                rf"{_GEAR_EN},? (?:which|that) you(?: will| must| need to| have to| then)? "
                r"(?:buy|purchase|pay for|order)(?![a-z])",
            ),
            keywords=("buy", "purchase", "pay for"),
            reach=120,
        ),
        Rule(
            name="en_refund_later",
            # "...refunded with your first paycheck": the promise that makes a fee look safe.
            patterns=(
                words(r"(?:cost|money|amount|payment|purchase|it|this|expense|fee)s?(?: \w+){0,2} "
                      r"(?:will be|is|are|gets?|shall be) (?:fully |100% )?refunded (?:later|"
                      r"after|once|when|with|in|upon|on)",
                      rf"{_MONEY_EN},? (?:which is |that is |and )?(?:fully |100% )?refund(?:ed|"
                      r"able) (?:later|after|once|when|with|in|upon)"),
            ),
            keywords=("refunded", "refundable"),
            context=(_APPLICANT_EN,),
            window=80,
            reach=100,
        ),
        Rule(
            name="en_paid_course",
            # "A mandatory certification course ... for $250": training sold to the applicant.
            patterns=(
                words(r"(?:mandatory|required|compulsory) (?:certification|training|"
                      r"onboarding) (?:course|program(?:me)?|class|package)s?(?: \w+){0,8} "
                      rf"(?:(?:for|costs?|at|priced at|fee of|of) )?\(?(?:only |just )?{_MONEY_EN}"
                      rf"{_REFUND_TAIL_EN}"),
            ),
            keywords=tuple(f"{a} {b}" for a in ("mandatory", "required", "compulsory")
                           for b in ("certification", "training", "onboarding")),
            reach=140,
        ),
        Rule(
            name="en_buy_to_start",
            # New wordings of "buy something to start": equipment that "must be purchased
            # from" a named supplier, a course to enrol in for a price before starting.
            patterns=(
                words(r"(?:equipment|laptops?|computers?|phones?|sim cards?|phone cards?|kits?|"
                      r"software|materials|devices?|supplies|uniforms?) (?:must|has to|have to|"
                      r"needs? to|will need to|is to|are to|should) be (?:purchased|bought|"
                      r"ordered|paid for)(?: \w+){0,2} (?:from|through|at|via)"),
                words(r"(?:enrol+(?:ed)?|register|sign up) (?:in|for) (?:our|the|a|an) "
                      r"(?:\w+ ){0,2}(?:course|training|program(?:me)?|class|workshop)"
                      r"(?: \w+){0,3},? (?:for|at|costing|which costs|that costs|priced at|fee of)"
                      rf"\s?\(?{_MONEY_EN}"),
            ),
            keywords=("be purchased", "be bought", "be ordered", "be paid for", "enrol",
                      "register", "sign up"),
            context=(words(r"you", r"your", r"new hires?", r"candidates?", r"applicants?",
                           r"employees?", r"before", r"to (?:start|begin|get started)",
                           r"required", r"mandatory", r"must", r"refund\w*", r"training"),),
            window=100,
            reach=140,
        ),
        Rule(
            name="en_you_pay",
            patterns=(
                # "You will need to pay a small one-time onboarding fee": the parts of the
                # claim, whatever modifiers stand between them.
                rf"{_PAYER_EN}(?: first| then| also)?(?: need to)? (?:pay|send|remit|cover|"
                rf"deposit)(?: us| for)?{gap_en(5)}(?:fee|fees|deposit|deposits|charge)(?![a-z])",
                r"(?:you|applicants?|candidates?|new (?:hires?|starters?)|trainees?|employees?|"
                r"workers?)(?: will| must| need to| are required to| have to| should| shall| would)"
                r"(?: first| then| also)?(?: need to)? (?:pay|send|remit|cover|purchase|buy|"
                r"deposit)"
                r"(?: us| for)?(?: a| an| the| your| our| their| his or her| own)*(?: small| one[- "
                r"]time"
                r"| refundable| nominal| non[- ]refundable| mandatory)? ?(?:fee|deposit|"
                r"registration|"
                r"training|kit|starter|equipment|materials|software|package|certification|license|"
                r"background check|uniform|work phone|phone card|sim card|data card|laptop|"
                r"computer|(?:mandatory |required )?(?:certification |training )?course)",
                r"(?:a |an |the )?refundable (?:deposit|fee|training|registration|payment)",
                # "a small one-time refundable onboarding and registration fee"
                rf"{W}refundable{gap_en(4)}(?:deposit|fee|payment)s?(?![a-z])",
                r"(?:fee|deposit|payment)s? (?:is |are |will be )?(?:fully )?refund(?:ed|able)",
                words(r"(?:purchase|buy|pay for) (?:a |an |the |your |our )?(?:own )?"
                      r"(?:starter kit|kit|training (?:materials|package|course)|work phone|"
                      r"phone card|sim card|data card|software license|certification course|"
                      r"mandatory (?:certification |training )?course)"),
                words(r"insider referral fee", r"pay (?:a |the )?referral fee"),
                # "Pay today to secure your spot": paying for the job itself.
                words(r"pay(?: \w+){0,3} to (?:secure|reserve|hold|confirm|guarantee|lock in|"
                      r"activate|unlock) (?:your |the |a )?(?:spot|place|seat|position|job|slot|"
                      r"account|offer|interview|role)"),
            ),
            keywords=("pay", "send", "remit", "cover", "purchase", "buy", "deposit", "refundable",
                      "refund", "insider"),
            reach=140,
        ),
    ),
    negations=(NEG_ZH, NEG_EN, r"公司(?:承担|报销|负责|支付|出)", "报销", "免费", "包吃", "验收",
               r"负责|协助|为客户|帮客户|采购",
               r"(?:我司|本公司|公司|平台|单位|企业)(?:将|会|负责|统一|按时)?\Z",
               r"subscription|union|deduct\w*", r"responsib\w*|procure\w*|on behalf of"),
    post_negations=(POST_NEG_ZH, POST_NEG_EN, r".{0,40}deduct",
                    r".{0,40}(?:company (?:credit )?card|purchase orders?|p-?card|on behalf of)"),
    vetoes=(
        r"骗子|诈骗|骗局|谨防|警惕|受骗|上当|举报",
        # A job fair's booth fee, charged to the employers who exhibit.
        r"招聘(?:会|展)?展位|展位费?|摊位费?",
        r"(?<![a-z])(?:uniform|equipment|kit|phone|laptop|tool) allowance",
        r"(?<![a-z])(?:dbs|disclosure (?:and|&) barring|update service|criminal records? "
        r"(?:check|bureau|disclosure)|deducted from|deduction from|salary sacrifice|scams?|"
        r"fraud\w*)(?![a-z])",
    ),
    neg_window_zh=24,
    exceptions=(
        r"免费(?:带薪)?培训", r"带薪培训", r"培训(?:免费|不收费|带薪)", r"公司(?:承担|报销)",
        r"(?:体检|服装|工服|住宿|培训)(?:费用?)?(?:由)?(?:公司|企业|单位|厂[里方])(?:承担|报销|负责|出|支付)",
        r"(?:违章|租车|车辆|车)押金", r"押一付",
        r"(?:车辆|租车|车型|网约车|专车|租金|司机|首付|全款|分期|月供)[^。;!?\n]{0,24}押金|"
        r"押金[^。;!?\n]{0,24}(?:车辆|租车|租金|首付|月供)",
        r"(?:宿舍|住宿|物业|水电|房租|电费|伙食|餐费|饭卡)[^。;!?\n]{0,24}(?:管理费|费用|服务费)",
        r"(?:收取|催收|收缴|退还|退)(?:客户|租客|业主|学员|会员)?的?(?:押金|保证金|费用)",
        r"(?:客户|租客|业主|房东|会员|学员|用户|患者|顾客|租户)(?:的|缴纳|支付|交|用.{0,4})?.{0,6}"
        r"(?:押金|保证金|费用|学费|管理费|服务费)",
        r"押金(?:管理|退还)", r"免押金?", r"催(?:缴|收|交)[^。;!?\n]{0,12}(?:费|租金)",
        r"(?:保证金|押金|费用)(?:等)?(?:业务|系统|模块|结算|核算)", r"零押金",
        r"投标保证金|履约保证金|质量保证金",
        # Referral bonuses paid *to* the employee who refers someone.
        r"(?:获得|可得|可获|领取|发放|奖励|享有|享受|给予|拿到?|赚取?|有)(?:高额|丰厚)?的?(?:内推|推荐)费",
        r"(?:内推|推荐)(?:成功)?(?:奖|奖励|奖金|有奖)|(?:内推|推荐)费[^。;!?\n]{0,12}(?:/人|每人|一人|奖励)",
        r"工会会费|党费",
        # Money given back to the reader (返学费500元, 退还会费): a refund or a reward.
        r"(?:返|退|减免|奖励|补贴|报销)(?:还|回)?(?:学费|会费|费用|管理费|服务费)",
        r"(?:paid|free|funded|company[- ]paid|employer[- ]paid) training",
        r"training (?:is |will be )?(?:paid|provided|free|funded)", r"reimburs\w*",
        r"(?:registration|membership|tuition|certification) fees? (?:paid|reimbursed|covered)",
        r"(?:tuition|course) (?:assistance|reimbursement)", r"no (?:fee|cost|charge|deposit)s?",
        r"fee[- ]paying", r"(?:deposit|deposits) (?:and|&) withdrawals?", r"direct deposit",
        r"security deposit", r"(?:we|the company|employer) (?:will )?(?:pay|cover)",
        r"(?:client|customer|patient|student|tenant|member)s?'? (?:fee|deposit|payment)s?",
        # "Referral bonus", "we pay a referral fee of $500 for each hire": paid to employees.
        r"referral (?:bonus|bonuses|reward|rewards|program(?:me)?|scheme|incentive)",
        r"(?:earn|receive|get|we pay|we'll pay|we will pay|pays|be paid|eligible for|qualify for|"
        r"award(?:ed)?)"
        r" (?:you )?(?:an? |the )?(?:\$\s?\d[\d,.]* )?(?:employee )?referral fees?",
    ),
)

# --- payment_scheme -------------------------------------------------------------------
_CRYPTO = alt("bitcoin", "btc", "usdt", "crypto(?:currency)?", "ethereum", "eth", "tether")

PAYMENT_SCHEME = RedFlag(
    id="payment_scheme",
    severity="high",
    title={"en": "Money-mule or payment scheme", "zh": "代收代付、转账洗钱类“工作”"},
    explanation={
        "en": "The 'job' moves money or goods for someone else: cashing checks and sending the "
        "rest back, reshipping parcels, buying gift cards, wiring money (Western Union, "
        "MoneyGram), crypto wallets, mystery shopping, or processing payments through your own "
        "bank account. These are fraud schemes and can make you liable.",
        "zh": "所谓工作是替别人收钱、转账或转运货物：代收款、帮忙转账、跑分、出租银行卡、"
        "用USDT/虚拟币结算、购买礼品卡等。这类行为涉嫌洗钱，求职者可能承担法律责任。",
    },
    advice={
        "en": "Never deposit a check for an employer, forward parcels, or move money through "
        "your account. Stop contact and report it.",
        "zh": "不要替任何“公司”收款、转账或出借银行卡、收款码，立即停止联系并报警。",
    },
    examples=Examples(
        match={
            "en": (
                "You will receive a check, deposit it into your account and wire the balance "
                "to our vendor via Western Union.",
                "Package handling assistant: receive parcels at home and reship them to our "
                "overseas clients.",
                "Buy Google Play gift cards for our clients and send us the codes.",
                "Payment processing agent wanted: process payments through your bank account.",
                "Mystery shopper needed, earn $300 per assignment.",
                "Process incoming customer payments from our overseas clients through your "
                "personal bank account.",
                # The fake-check / overpayment scheme, its parts apart (issue 26).
                "You will receive a check for $2,800; deposit it and wire the remainder to our "
                "supplier in gift cards.",
                "We will mail you a cheque; cash it at your bank, keep $300 for your time and "
                "forward the rest by Western Union.",
                # Real scam posting (EMSCAD fraud, emscad_fraud_extra_0074): check printing.
                "Required Tools Needed below:1. A good computer system with fast internet "
                "connection. { must have}2. Colored Printer, MICR Ink { must have }3. Versa Check "
                "Business Paper { Sold in Office depot and Office Max }4. Ez Check Printing "
                "Software",
            ),
            "zh": (
                "招聘兼职，帮公司代收款，每笔提成百分之三。",
                "居家兼职跑分，用你的收款码收款后转给我们。", "工资用USDT结算，先充值到钱包。",
                "出租银行卡，一张卡每天300元。",
                # Words between the claim's parts (issue 26).
                "帮公司财务收款，每笔提成3%。", "出租自己名下闲置的银行卡，每天300元。",
            ),
        },
        no_match={
            "en": (
                "Bank teller: process deposits, withdrawals and money orders for members.",
                "Software engineer for our crypto exchange platform.",
                "Warehouse associate: receive and ship packages for our online store.",
                "Accounts payable clerk handling vendor payments in SAP.",
                "Bank teller: cash checks and process deposits, then transfer funds between "
                "accounts.",
                "Accounts receivable clerk: receive checks, deposit them and forward remittance "
                "advice to accounting.",
                "Never deposit a check for an employer and send the rest back.",
                # Real legit posting (EMSCAD, emscad_12080).
                "Input orders;Order processing;Providing customer quotes;Check stock and "
                "inventory levels;Track and monitor orders",
            ),
            "zh": (
                "财务专员，负责公司日常收付款和银行对账。",
                "区块链开发工程师，熟悉比特币、以太坊底层原理。",
                "仓库管理员，负责收发货和库存盘点。",
                "收银员，负责收银和对账，工资每月银行卡发放。",
                "银行柜员，协助客户办理转账汇款。", "出租车司机，收入稳定。",
                # Real legit posting (58.com, orfd58_02731): a game's virtual currency.
                "在游戏中如实告知玩家游戏中虚拟货币的充值兑换比例、优惠、折扣和用途",
            ),
        },
    ),
    rules=(
        Rule(
            name="en_checks",
            patterns=(
                words(r"cashier'?s checks?", r"check[- ]cashing (?:agent|job|position|assistant)"),
                words(r"(?:send|wire|forward|transfer|remit) (?:the )?(?:remaining|remainder|"
                      r"balance|rest|difference|excess|leftover|overpayment|surplus)"
                      r"(?: (?:funds|money|amount|balance))?"),
                # "We'll mail you a check to buy your equipment from our vendor."
                words(r"(?:receive|mail|send|issue)(?: you)? (?:a |the |an? \w+ )?(?:checks?|"
                      r"cheques?)(?: \w+){0,8} (?:to )?(?:buy|purchase|pay for|order) (?:\w+ ){0,3}"
                      r"(?:equipment|supplies|software|laptop|office|devices?|materials)"),
            ),
            keywords=("deposit", "cash", "remaining", "remainder", "the balance", "the rest",
                      "the difference", "excess", "leftover", "overpayment", "surplus", "check",
                      "cheque"),
            reach=140,
        ),
        Rule(
            name="en_check_overpayment",
            # The fake-check / overpayment scheme as a claim in parts, whatever stands between
            # them: a check (or money order) arrives, "deposit it", then "wire the remainder",
            # "send the rest back to our supplier", often "in gift cards".
            patterns=(
                # "deposit it ... wire the remainder", "cash the cheque into your account,
                # keep $300 and forward the rest": what you deposit, then money sent on.
                words(r"(?:deposit|cash)(?:ing)?(?: it| them| the (?:funds|money|payment|amount)| "
                      r"(?:the |a |this |these |our |your )?(?:checks?|cheques?|money orders?) "
                      r"(?:in|into|at|to|with) your (?:own |personal |local )?(?:bank|account|"
                      r"bank account))(?:[ \t,]+[^\n]{0,100}?)?(?:send|wire|forward|transfer|remit|"
                      rf"return|pay)(?:ing)?(?: back)?{gap_en(4)}(?:\$|£|€|\d|funds|money|"
                      r"remainder|remaining|rest|balance|difference|excess|leftover|overpayment|"
                      r"surplus|amount|gift ?cards?|western union|moneygram|bitcoin|btc|crypto)"),
                words(rf"(?:send|wire|forward|transfer|remit|return)(?:ing)?(?: back)?{gap_en(3)}"
                      r"(?:remainder|remaining|rest|balance|difference|excess|leftover|"
                      r"overpayment|surplus)"),
            ),
            # Keyed on what every match holds (what is deposited, or what is left to send on),
            # not on "send", which most postings hold ("send your CV").
            keywords=("deposit", "cash", "remainder", "remaining", "the rest", "rest of",
                      "balance", "difference", "excess", "leftover", "overpayment", "surplus"),
            context=(words(r"checks?", r"cheques?", r"money orders?"),),
            window=160,
            reach=200,
        ),
        Rule(
            name="en_check_printing",
            # "Colored Printer, MICR Ink { must have } ... Check Business Paper": printing
            # checks at home is check fraud, whatever the job is called.
            patterns=(words(r"micr (?:ink|toner|fonts?|printer)s?",
                            r"(?:blank |versa )?(?:check|cheque) (?:business )?paper",
                            r"(?:blank )?(?:check|cheque) stock(?! (?:and|levels?|inventory|"
                            r"rotation))",
                            r"(?:check|cheque) printing (?:software|supplies|paper|kit)"),),
            keywords=("micr", "check paper", "check business", "cheque paper", "cheque business",
                      "blank check", "blank cheque", "check printing", "cheque printing",
                      "versa check"),
            reach=60,
        ),
        Rule(
            name="en_reship",
            patterns=(
                words(r"re-?ship\w*", r"package (?:forwarding|reshipping|handling|inspector)",
                      r"parcel (?:forwarding|reshipping)", r"shipping (?:manager|coordinator) "
                      r"(?:from|at) home", r"(?:receive|accept) (?:packages|parcels|goods|"
                      r"merchandise) (?:at|in|from) (?:your|home).{0,60}(?:forward|re-?ship|"
                      r"send (?:them|it)|ship (?:them|it))"),
            ),
            keywords=("reship", "re-ship", "package forwarding", "package reshipping",
                      "package handling", "package inspector", "parcel forwarding",
                      "parcel reshipping", "shipping manager", "shipping coordinator",
                      "receive packages", "receive parcels", "receive goods", "receive merchandise",
                      "accept packages", "accept parcels", "accept goods"),
            reach=120,
        ),
        Rule(
            name="en_gift_wire_crypto",
            patterns=(
                words(r"(?:buy|purchase|get|load) (?:\w+ ){0,3}gift ?cards?",
                      # Paid out in gift cards: "wire the remainder to our supplier in gift cards".
                      rf"(?:send|wire|pay|transfer|remit|forward)(?:ing)?{gap_en(6)}(?:in|as|via|with|"
                      r"using|through|into) (?:\w+ ){0,2}gift ?cards?",
                      r"(?:buy|purchase|get|load) (?:\w+ ){0,2}(?:itunes|google play|steam|amazon|"
                      r"apple|ebay|vanilla|razer) (?:gift |prepaid )?cards?",
                      r"gift ?card (?:codes?|"
                      r"numbers?|pins?)", "western union", "moneygram", "money ?gram",
                      r"wire (?:the )?(?:money|funds|payment)s?",
                      rf"{_CRYPTO} (?:wallet|atm|address|account|deposit|payment|transfer)s?",
                      rf"(?:pay|send|deposit|buy|transfer|convert|paid|invest|recharge)"
                      rf"(?: \w+){{0,3}} (?:in |into |with |via |using )?{_CRYPTO}",
                      r"money mule"),
            ),
            keywords=("gift", "western", "moneygram", "money gram", "wire", "bitcoin", "btc",
                      "usdt", "crypto", "ethereum", "eth", "tether", "money mule", "itunes",
                      "google play", "steam", "amazon", "apple", "ebay", "vanilla", "razer"),
            reach=100,
        ),
        Rule(
            name="en_processing_agent",
            patterns=(
                words(r"mystery (?:shopp\w*|shopper)", r"secret shopper",
                      r"payments? (?:processing|processor|collection) (?:agent|representative|"
                      r"assistant|clerk|specialist)", r"(?:financial|payment|money transfer) agent",
                      # Words may stand between the claim's parts: "process incoming customer
                      # payments from our overseas clients through your personal bank account".
                      rf"(?:process|receive|accept|handle|transfer){gap_en(3)}"
                      r"(?:payments?|funds|money|transactions)"
                      r"(?: from (?:our )?(?:\w+ )?(?:clients|customers))?"
                      r" (?:through|via|using|into|in|to|on) your (?:own |personal )?(?:bank "
                      r")?account",
                      r"(?:use|provide|lend|open) your (?:own |personal )?(?:bank )?account"
                      rf"{gap_en(3)}"
                      r"(?:to|for) (?:receive|receiving|process|processing|transfer|transferring|"
                      r"accept|accepting)",
                      r"(?:car|vehicle|auto) wrap", r"(?:logo|sticker|decal|advert\w*) on your "
                      r"(?:car|vehicle|truck|bike)"),
            ),
            keywords=("mystery", "secret shopper", "payment processing", "payments processing",
                      "payment processor", "payment collection", "payments collection",
                      "payment agent", "financial agent", "money transfer agent", "your account",
                      "your bank", "your own", "your personal", "wrap", "on your car",
                      "on your vehicle", "on your truck", "on your bike"),
            reach=140,
        ),
        Rule(
            name="zh_money_mule",
            patterns=(
                r"代收(?:货)?款|代付款?|代收代付|跑分|洗钱|走账|过账|刷流水",
                # The claim's parts with words between them: 帮公司财务收款,
                # 出租自己名下闲置的银行卡.
                rf"帮(?!助)(?:忙|公司|老板|客户|我们)?{gap_zh(4)}(?:收款|转账|转钱|打款|走账)",
                rf"(?:出租|出售|出借|借用|收购|租用){gap_zh(8)}(?:银行卡|银行账户|账户|收款码|"
                r"支付宝|微信号|对公账户|u盾)", r"(?:银行卡|收款码|账户)(?:出租|出借|出售)",
                # (Fillers only, not any words: 游戏中虚拟货币的充值兑换比例 is a game's.)
                r"(?:usdt|虚拟币|虚拟货币|比特币|泰达币|数字货币)(?:进行|来|的形式|形式)?(?:结算|支付|发放|"
                r"转账|充值|兑换|付款|发工资)",
                r"(?:转|充|买|换|付|结算成?)(?:值)?.{0,4}(?:usdt|虚拟币|泰达币)",
                r"(?:购买|充值|代购|买).{0,6}(?:礼品卡|游戏点卡|京东卡|苹果卡|itunes卡|充值卡|购物卡)",
                r"(?:收款|转账|打款)(?:任务|兼职)",
            ),
            keywords=("代收", "代付", "跑分", "洗钱", "走账", "过账", "刷流水", "收款", "转账",
                      "转钱", "打款", "银行卡", "账户", "收款码", "支付宝", "微信号", "u盾", "usdt",
                      "虚拟币", "虚拟货币", "比特币", "泰达币", "数字货币", "礼品卡", "点卡",
                      "京东卡", "苹果卡", "itunes", "充值卡", "购物卡"),
            reach=40,
        ),
    ),
    negations=(NEG_ZH, NEG_EN, "谨防", "防范", "打击", "诈骗", "举报", "不是", "不做", "不涉及"),
    post_negations=(POST_NEG_ZH, r"(?:诈骗|违法|犯罪)"),
    exceptions=(
        r"(?:deposits?|withdrawals?),? (?:and |& )?(?:withdrawals?|deposits?|money orders?)",
        r"money orders?,? (?:and |& )?(?:deposits?|withdrawals?)", r"direct deposit",
        r"(?:accounts payable|accounts receivable|payroll)",
        r"(?:公司|企业)(?:日常)?(?:收付款|收款|付款)", r"银行卡(?:发放|发工资|打卡)",
        r"工资.{0,6}银行卡", r"收银", r"人走(?:账|帐)清", r"反洗钱",
        r"(?:代付|代收|洗钱|跑分)(?:款)?(?:等)?(?:系统|业务|通道|接口|模块|平台|功能|风控|合规|监测)",
        r"(?:系统|业务|通道|接口|模块|平台|开发|清结算|支付)[^。;!?\n]{0,6}(?:代付|代收)",
        r"[a-z]+, moneygram|moneygram, [a-z]",
    ),
)
