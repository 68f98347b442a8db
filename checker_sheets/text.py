"""The spreadsheet layer's own words (template, report, errors), in both languages.

The engine supplies rule texts, verdict names and field labels itself; only what a sheet adds is here.
"""

TEXT = {
    # Template and explanation sheet.
    "item_label": {"zh": "成果{n}：{label}", "en": "Achievement {n}: {label}"},
    "has_list": {"zh": "是否有{label}", "en": "Any {label}"},
    "has_list_help": {
        "zh": "“否”表示没有成果；留空表示未知。填写了成果列时可留空。",
        "en": "“No” means there are none; blank means unknown. May stay blank when achievement columns are filled.",
    },
    "sheet_applications": {"zh": "申报项目", "en": "Applications"},
    "sheet_columns": {"zh": "填写说明", "en": "How to fill in"},
    "col_column": {"zh": "列", "en": "Column"},
    "col_header": {"zh": "列标题", "en": "Header"},
    "col_path": {"zh": "字段路径（也可作列标题）", "en": "Field path (also accepted as header)"},
    "col_question": {"zh": "问题", "en": "Question"},
    "col_answers": {"zh": "可填写的内容", "en": "Allowed answers"},
    "col_help": {"zh": "说明", "en": "Explanation"},
    "col_clause": {"zh": "依据条款", "en": "Clause"},
    "col_blank": {"zh": "不清楚时", "en": "If unknown"},
    "col_link": {"zh": "条款链接", "en": "Link to the clause"},
    "blank": {"zh": "不清楚时请留空（留空表示未知，不会被当作“否”）", "en": "Leave blank if unknown (blank means unknown, never “no”)"},
    "answers_bool": {"zh": "是 / 否", "en": "Yes / No"},
    "answers_date": {"zh": "日期，如 1980-05-03", "en": "A date, e.g. 1980-05-03"},
    "answers_number": {"zh": "数字（万元），如 250", "en": "A number (万元, CNY 10,000), e.g. 250"},
    "answers_int": {"zh": "整数，如 3", "en": "A whole number, e.g. 3"},
    "intro": {
        "zh": "每行填写一个申报项目；第一行为列标题，请勿修改。留空表示未知。",
        "en": "One application per row; the first row holds the column headers, keep it. Blank means unknown.",
    },
    # Report.
    "sheet_report": {"zh": "筛查结果", "en": "Screening"},
    "sheet_summary": {"zh": "汇总", "en": "Summary"},
    "row": {"zh": "行号", "en": "Row"},
    "input_errors": {"zh": "输入错误", "en": "Input errors"},
    "verdict": {"zh": "{title}：结论", "en": "{title}: verdict"},
    "max_request": {"zh": "{title}：最多可申请（万元）", "en": "{title}: largest admissible request (万元)"},
    "reasons": {"zh": "{title}：不符合或需复核的原因", "en": "{title}: failing or review reasons"},
    "missing": {"zh": "{title}：尚需填写", "en": "{title}: still missing"},
    "verdict_error": {"zh": "输入错误", "en": "input error"},
    "summary_programme": {"zh": "项目类别", "en": "Programme"},
    "summary_total": {"zh": "合计", "en": "Total"},
    "summary_source": {"zh": "输入文件", "en": "Input file"},
    "summary_edition": {"zh": "指南年度", "en": "Guide edition"},
    # Errors.
    "cell_error": {"zh": "第 {row} 行 {column} 列（{header}）：{message}", "en": "row {row}, column {column} ({header}): {message}"},
    "row_error": {"zh": "第 {row} 行：{message}", "en": "row {row}: {message}"},
    "expected_bool": {"zh": "应为 是/否（也可填 true/false、yes/no、1/0）", "en": "expected yes/no (or 是/否, true/false, 1/0)"},
    "expected_enum": {"zh": "应为以下之一：{options}", "en": "expected one of: {options}"},
    # The template's own check of a typed number (Excel's data validation, which takes digits only).
    "expected_number": {"zh": "应为数字（万元）", "en": "expected a number (万元)"},
    "expected_int": {"zh": "应为整数", "en": "expected a whole number"},
    "list_says_no": {
        "zh": "填写了“否”（没有成果），但成果{n}的列已填写",
        "en": "says no achievements, but the columns of achievement {n} are filled in",
    },
    "no_header": {
        "zh": "{file}：前 {rows} 行中没有与模板相符的列标题",
        "en": "{file}: no column header of the template in the first {rows} rows",
    },
    "duplicate_header": {
        "zh": "{file}：{first} 列和 {second} 列是同一问题（{header}）",
        "en": "{file}: columns {first} and {second} are the same question ({header})",
    },
    "not_workbook": {"zh": "{file}：不是 .xlsx 工作簿（{reason}）", "en": "{file}: not an .xlsx workbook ({reason})"},
    "not_zip": {
        "zh": "{file}：不是 .xlsx 工作簿（不是 zip 格式：文件已损坏，或是改了扩展名的其他文件）",
        "en": "{file}: not an .xlsx workbook (not a zip package: damaged, or another kind of file renamed)",
    },
    "old_xls": {
        "zh": "{file}：是旧版 .xls 工作簿，请另存为 .xlsx 或 .csv",
        "en": "{file}: an old .xls workbook; save it as .xlsx or .csv",
    },
    "encrypted": {
        "zh": "{file}：工作簿设有打开密码，请取消密码后另存再筛查",
        "en": "{file}: the workbook is password-protected; remove the password, save it and try again",
    },
    "bad_encoding": {
        "zh": "{file}：无法识别的编码（应为 UTF-8 或 GB18030 文本）",
        "en": "{file}: unrecognised encoding (expected UTF-8 or GB18030 text)",
    },
    "not_text": {"zh": "{file}：不是 CSV 文本文件", "en": "{file}: not a CSV text file"},
    "cannot_read": {"zh": "{file}：无法读取（{reason}）", "en": "{file}: cannot read ({reason})"},
    "bad_suffix": {
        "zh": "{file}：文件类型应为 {suffixes}",
        "en": "{file}: the file type must be {suffixes}",
    },
    "same_file": {"zh": "{file}：报告不能覆盖输入文件", "en": "{file}: the report must not overwrite the input"},
    "empty": {"zh": "{file}：没有数据行", "en": "{file}: no data rows"},
    "ignored_columns": {"zh": "未识别的列（原样保留）：{columns}", "en": "columns not in the template (kept as they are): {columns}"},
    "screened": {
        "zh": "已筛查 {rows} 行（{errors} 行有输入错误），报告：{output}",
        "en": "screened {rows} rows ({errors} with input errors); report: {output}",
    },
}
