"""Interface strings of the generated pages, one entry per key with both languages."""

UI = {
    "colon": {"zh": "：", "en": ": "},
    "home": {"zh": "首页", "en": "Home"},
    "notice": {"zh": "申报须知", "en": "Application notice"},
    "programmes": {"zh": "项目类别", "en": "Programmes"},
    "compare": {"zh": "项目对比", "en": "Compare programmes"},
    "checker": {"zh": "申报资格自查", "en": "Eligibility self-check"},
    "procedure": {"zh": "申报程序图", "en": "Application procedure"},
    "glossary": {"zh": "术语表", "en": "Glossary"},
    "about": {"zh": "关于本站", "en": "About this site"},
    "funding": {"zh": "资助额度与形式", "en": "Funding range and form"},
    "open_guide": {"zh": "阅读指南", "en": "Read the guide"},
    "check_now": {"zh": "自查是否符合申报条件", "en": "Check whether you may apply"},
    "typo_note": {"zh": "校注", "en": "Editorial note"},
    "clause_link": {"zh": "本条链接", "en": "Link to this clause"},
    "checked_badge": {"zh": "自查已覆盖", "en": "Checked by the self-check"},
    "checked_title": {
        "zh": "申报资格自查会核对本条",
        "en": "The eligibility self-check evaluates this clause",
    },
    "unmodelled_badge": {"zh": "需自行确认", "en": "Confirm yourself"},
    "unmodelled_title": {
        "zh": "本条无法由自查判断，由评审或推荐单位把关",
        "en": "The self-check cannot judge this clause; reviewers or the recommending unit assess it",
    },
    "checklist": {"zh": "申报条件清单", "en": "Eligibility checklist"},
    "checklist_intro": {
        "zh": "以下清单由自查规则生成，每项链接到所依据的条款。",
        "en": "This checklist is generated from the self-check rules; each item links to the clause it encodes.",
    },
    "kind_condition": {"zh": "条件", "en": "Condition"},
    "kind_review": {"zh": "可放宽（需审核）", "en": "May be relaxed (review)"},
    "kind_priority": {"zh": "优先支持（不影响资格）", "en": "Priority (not a condition)"},
    "unmodelled": {"zh": "需申报人自行确认的条件", "en": "Conditions to confirm yourself"},
    "unmodelled_intro": {
        "zh": "以下条件无法从自查问卷判断，由评审或推荐单位把关，请自行确认：",
        "en": "These conditions cannot be judged from the self-check answers; reviewers or the recommending unit assess them. Confirm them yourself:",
    },
    "compare_intro": {
        "zh": "各项目类别的主要申报条件对照。表中数据与自查规则同源生成，具体以指南原文为准。",
        "en": "The main conditions of each programme side by side. The table is generated from the same data as the self-check; the guide's text prevails.",
    },
    "condition": {"zh": "条件", "en": "Condition"},
    "fact_applicants": {"zh": "申报主体", "en": "Who may apply"},
    "fact_leader_title_degree": {"zh": "负责人职称/学位", "en": "Leader's title / degree"},
    "fact_leader_age": {"zh": "负责人年龄", "en": "Leader's age"},
    "fact_high_tech": {"zh": "高新技术企业", "en": "High-tech enterprise"},
    "fact_min_total_investment": {"zh": "项目总投入", "en": "Minimum total investment"},
    "fact_self_funding_ratio": {"zh": "自筹资金比例", "en": "Self-raised funds share"},
    "fact_funding_range": {"zh": "单项资助额度", "en": "Funding per project"},
    "fact_funding_form": {"zh": "资助形式", "en": "Funding form"},
    "procedure_intro": {
        "zh": "网上申报的四个步骤（原文见申报须知“四、申报程序”）：",
        "en": "The four steps of the online application (full text: notice, “IV. Application procedure”):",
    },
    "who": {"zh": "操作人", "en": "Who"},
    "glossary_intro": {
        "zh": "本站英文版统一使用以下译名。",
        "en": "The English version of this site uses these terms consistently.",
    },
    "term_zh": {"zh": "中文", "en": "Chinese"},
    "term_en": {"zh": "英文译名", "en": "English"},
    "term_note": {"zh": "说明", "en": "Note"},
    "edition": {"zh": "版本", "en": "Edition"},
    "issuer": {"zh": "发布单位", "en": "Issued by"},
    "issued": {"zh": "发布日期", "en": "Issued"},
    "generated": {"zh": "本站生成日期", "en": "Site generated on"},
    "call_status": {"zh": "申报状态", "en": "Call status"},
    "call_closed": {"zh": "已结束", "en": "Closed"},
    "call_open": {"zh": "接受申报，截止日期：", "en": "Open; deadline: "},
    "source_doc": {"zh": "指南原文（纯文本）", "en": "The guide's text (plain text, Chinese)"},
    "prevails": {
        "zh": "本站根据克拉玛依市科学技术局发布的指南整理，仅供参考；一切以官方发布的指南原文及市科技局解释为准。自查结果不代表立项或受理决定。",
        "en": "This site is prepared from the guide published by the Karamay Science and Technology Bureau for reference only. The official Chinese guide and the Bureau's interpretation prevail. A self-check result is not a decision to accept or fund an application.",
    },
    "translation_notice": {
        "zh": "英文版为参考译文，以中文原文为准。",
        "en": "The English version is a reference translation; the Chinese original prevails.",
    },
    "privacy": {
        "zh": "自查在您的浏览器内完成，您的答案不会发送到任何服务器。",
        "en": "The self-check runs inside your browser; your answers are never sent to any server.",
    },
    "home_intro": {
        "zh": "本站以网页形式完整呈现指南原文，并提供中英文对照、项目对比和申报资格自查。",
        "en": "This site presents the complete guide as web pages, with an English translation, a comparison of the programmes and an eligibility self-check.",
    },
}

# Who acts at each step of notice 四、申报程序 (keyed by the procedure sub-section id).
PROCEDURE_WHO = {
    "procedure-1": {"zh": "申报单位（单位管理员）", "en": "Applicant unit (unit administrator)"},
    "procedure-2": {"zh": "项目负责人", "en": "Project leader"},
    "procedure-3": {"zh": "单位管理员", "en": "Unit administrator"},
    "procedure-4": {"zh": "推荐单位", "en": "Recommending unit"},
}
