"""Hand-written postings for the API and page tests (not taken from any data set)."""

from __future__ import annotations

#: Hand-written Chinese training-fee scam: data-labelling job, fee refundable after earning 1万.
ZH_FEE_SCAM = (
    "【急招】数据标注员，在家用手机就能做，无需经验，日结300-500元。"
    "入职前需缴纳培训费2580元，收入满1万后全额返还。"
    "名额有限，先到先得，加V详聊：dh20240"
)

#: Hand-written English legitimate posting.
EN_LEGIT = (
    "Junior Data Analyst - Northbridge Analytics Ltd, Manchester\n"
    "We are looking for a junior data analyst to join our reporting team. You will build "
    "weekly dashboards in SQL and Python, work with the finance team on monthly forecasts "
    "and present results to stakeholders.\n"
    "Requirements: a degree in a quantitative subject and some experience with SQL.\n"
    "We offer a salary of £28,000-£32,000, 25 days of annual leave and a pension scheme. "
    "Apply through our careers page with your CV and a cover letter."
)

#: Hand-written English fee scam, for a second language of high risk.
EN_FEE_SCAM = (
    "Work from home data entry! Earn $500 a day, no experience needed. "
    "You must pay a $99 registration fee for the starter kit before you start. "
    "Contact us on WhatsApp only."
)
# One campaign (tests/api/test_campaigns_fleet.py): rated low on text alone; a moderator's
# scam decision on KNOWN flags SIBLING through campaign memory.
KNOWN = ("Warehouse team member wanted for our Leeds site, day shifts, 11.50 pounds an hour, "
         "start next week. Call Dana on 0113 496 0134 to book a site visit.")
SIBLING = ("Warehouse team member wanted for our Leeds site, day shifts, 12.10 pounds an hour, "
           "start next week. Call Mark on 0113 496 0199 to book a site visit.")
