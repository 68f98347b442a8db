"""The spreadsheet layer's own words (template, report, errors), in both languages.

A text that counts has a singular and a plural form, as in sitegen/strings.py; checker_py's `phrase` fills it.

The engine supplies rule texts, verdict names and field labels itself; only what a sheet adds is here.
"""

TEXT = {
    # The application's own columns (not answers to the rules): what names a row, and its programme.
    "label_unit.name": {"zh": "单位名称", "en": "Unit name"},
    "label_project.name": {"zh": "项目名称", "en": "Project name"},
    "label_leader.name": {"zh": "项目负责人", "en": "Project leader"},
    "label_programme": {"zh": "拟申报类别", "en": "Intended programme"},
    "help_unit.name": {
        "zh": "申报单位的全称；筛查报告按单位名称和项目名称标明每一行。",
        "en": "The applicant unit's full name; the screening report names each row by its unit and project.",
    },
    "help_project.name": {
        "zh": "项目名称。两行的项目名称相同（不计空格和标点）而拟申报类别不同时，两行均标为需人工复核。",
        "en": "The project's name. Two rows with the same project name (spaces and punctuation aside) under different programmes are both marked for review.",
    },
    "help_leader.name": {
        "zh": "项目负责人姓名。同一负责人有两行申报、其中有事前资助项目时，两行均标为需人工复核。",
        "en": "The project leader's name. The same leader on two rows, one of them a pre-funding application, marks both rows for review.",
    },
    "help_programme": {
        "zh": "本行拟申报的项目类别：填写后只按该类别筛查，汇总只计入该类别；留空则按全部类别筛查。",
        "en": "The programme this row applies to: when filled, the row is screened for it alone and counted under it alone; blank screens it for every programme.",
    },
    "answers_text": {"zh": "文字", "en": "Text"},
    "template_file": {"zh": "项目申报筛查模板-{edition}", "en": "screening-template-{edition}"},
    # Template and explanation sheet.
    "item_label": {"zh": "成果 {n}：{label}", "en": "Achievement {n}: {label}"},
    "has_list": {"zh": "是否有{label}", "en": "Any {label}"},
    "has_list_help": {
        "zh": "“否”表示没有成果；留空表示未知。填写了成果列时可留空。",
        "en": "“No” means there are none; blank means unknown. May stay blank when achievement columns are filled.",
    },
    "sheet_applications": {"zh": "申报项目", "en": "Applications"},
    "sheet_columns": {"zh": "填写说明", "en": "How to fill in"},
    "col_column": {"zh": "列", "en": "Column"},
    "col_header": {"zh": "列标题", "en": "Header"},
    "col_path": {"zh": "字段路径（也可作列标题；路径中的成果从 0 起编号，列标题中的成果从 1 起编号）", "en": "Field path (also accepted as header; paths number achievements from 0, headers from 1)"},
    "col_question": {"zh": "问题", "en": "Question"},
    "col_answers": {"zh": "可填写的内容", "en": "Allowed answers"},
    "col_help": {"zh": "说明", "en": "Explanation"},
    "col_clause": {"zh": "依据条款", "en": "Clause"},
    "col_blank": {"zh": "不清楚时", "en": "If unknown"},
    "col_link": {"zh": "条款链接", "en": "Link to the clause"},
    "blank": {"zh": "不清楚时请留空（留空表示未知，不会被当作“否”）", "en": "Leave blank if unknown (blank means unknown, never “no”)"},
    "answers_bool": {"zh": "是 / 否", "en": "Yes / No"},
    "answers_date": {"zh": "日期，如 1980-05-03", "en": "A date, e.g. 1980-05-03"},
    "answers_number": {"zh": "数字（万元），如 250", "en": "A number in 万元 (万元 = CNY 10,000), e.g. 250"},
    "answers_int": {"zh": "整数，如 3", "en": "A whole number, e.g. 3"},
    "intro": {
        "zh": "每行填写一个申报项目；第一行为列标题，请勿修改。留空表示未知。",
        "en": "One application per row; the first row holds the column headers: do not change it. Blank means unknown.",
    },
    # Report.
    "sheet_summary": {"zh": "汇总", "en": "Summary"},
    "sheet_report": {"zh": "明细", "en": "Details"},
    "sheet_counts": {"zh": "统计", "en": "Counts"},
    "application": {"zh": "单位 · 项目", "en": "Unit · project"},
    "row_named": {"zh": "第 {row} 行", "en": "Row {row}"},
    "all_programmes": {"zh": "（未填写，按全部类别筛查）", "en": "(blank: screened for every programme)"},
    "not_asked": {"zh": "（未申报）", "en": "(not applied for)"},
    "summary_verdict": {"zh": "结论", "en": "Verdict"},
    "summary_request": {"zh": "可申请额度", "en": "Request admissible"},
    "summary_reasons": {"zh": "原因（不符合、需复核或输入错误）", "en": "Reasons (failing, review or input errors)"},
    "summary_missing": {"zh": "尚需填写", "en": "Still missing"},
    "all_reasons": {"zh": "全部原因（{count}）", "en": "All reasons ({count})"},
    "up_to": {"zh": "至多 {amount}", "en": "up to {amount}"},
    "of_programme": {"zh": "{title}：{text}", "en": "{title}: {text}"},
    "page_footer": {"zh": "第 &P 页，共 &N 页", "en": "Page &P of &N"},
    "across_rows": {"zh": "跨行核对", "en": "Across rows"},
    "row": {"zh": "行号", "en": "Row"},
    "input_errors": {"zh": "输入错误", "en": "Input errors"},
    "verdict": {"zh": "{title}：结论", "en": "{title}: verdict"},
    "max_request": {"zh": "{title}：最多可申请（万元）", "en": "{title}: largest admissible request (万元)"},
    "reasons": {"zh": "{title}：不符合或需复核的原因", "en": "{title}: failing or review reasons"},
    "missing": {"zh": "{title}：尚需填写", "en": "{title}: still missing"},
    "verdict_error": {"zh": "输入错误", "en": "Input error"},
    "summary_programme": {"zh": "项目类别", "en": "Programme"},
    "summary_total": {"zh": "合计", "en": "Total"},
    "summary_source": {"zh": "输入文件", "en": "Input file"},
    "summary_sheet": {"zh": "工作表", "en": "Sheet"},
    "summary_edition": {"zh": "指南年度", "en": "Guide edition"},
    "counts_heading": {
        "zh": "各类别结论（只计拟申报该类别的行；未填拟申报类别的行计入每个类别）",
        "en": "Verdicts per programme (only the rows applying to it; a row with no intended programme counts under each)",
    },
    "counts_line": {"zh": "{title}：{counts}（共 {total} 行）", "en": "{title}: {counts} ({total} in all)"},
    "count": {"zh": "{verdict} {n} 行", "en": "{n} × {verdict}"},
    "counts_separator": {"zh": "；", "en": "; "},
    "no_pairs": {"zh": "无", "en": "none"},
    # Across rows: the guide's application restrictions that only rows together can show.
    "flags_heading": {"zh": "跨行核对（需人工复核）", "en": "Across rows (needs review)"},
    "clause_names": {
        "notice#restrict-1": {"zh": "申报限制（一）", "en": "Application restrictions (I)"},
        "notice#restrict-2": {"zh": "申报限制（二）", "en": "Application restrictions (II)"},
    },
    "same_project": {"zh": "项目名称相同、拟申报类别不同", "en": "the same project name under different programmes"},
    "same_leader": {"zh": "项目负责人相同，涉及事前资助项目", "en": "the same project leader, with a pre-funding application"},
    "other_rows": {"zh": "第 {rows} 行", "en": "row {rows}"},
    "other_rows_many": {"zh": "第 {rows} 行", "en": "rows {rows}"},
    "rows_separator": {"zh": "、", "en": ", "},
    "flag": {
        "zh": "与{rows}：{what}。须核对：{label}（{clause}）。{review}。",
        "en": "With {rows}: {what}. To check: {label} ({clause}). {review}.",
    },
    "pair": {"zh": "第 {first} 行与第 {second} 行：{what}（{clause}）。{review}。", "en": "Rows {first} and {second}: {what} ({clause}). {review}."},
    # Errors.
    "cell_error": {"zh": "第 {row} 行 {column} 列“{header}”：{message}", "en": "row {row}, column {column} ({header}): {message}"},
    "row_error": {"zh": "第 {row} 行：{message}", "en": "row {row}: {message}"},
    "expected_bool": {"zh": "应为“是”或“否”（也可填 true 或 false、yes 或 no、1 或 0）", "en": "expected yes or no (or 是 or 否, true or false, 1 or 0)"},
    # The template's own check of a yes/no cell, which accepts only its drop-down's two words.
    "pick_bool": {"zh": "请从下拉列表中选择“是”或“否”", "en": "Choose “Yes” or “No” from the drop-down list"},
    "expected_enum": {"zh": "应为以下之一：{options}", "en": "expected one of: {options}"},
    # The template's own check of a typed number (Excel's data validation, which takes digits only).
    "expected_number": {"zh": "应为不小于 0 的数字（万元）", "en": "expected a number of 0 or more, in 万元 (万元 = CNY 10,000)"},
    "expected_int": {"zh": "应为不小于 0 的整数", "en": "expected a whole number of 0 or more"},
    "list_says_no": {
        "zh": "填写了“否”（没有成果），但成果 {n} 的列已填写",
        "en": "says no achievements, but the columns of achievement {n} are filled in",
    },
    "no_header": {
        "zh": "{file}：{where}前 {rows} 行中没有与模板相符的列标题{note}",
        "en": "{file}: no column header of the template in the first {rows} rows{where}{note}",
    },
    "of_sheets": {"zh": "工作表{sheets}的", "en": " of the sheets {sheets}"},
    "hidden_not_read": {"zh": "；隐藏的工作表{sheets}不读取", "en": "; hidden sheets ({sheets}) are not read"},
    "delimiters_tried": {"zh": "（已按逗号、分号和制表符分隔分别读过）", "en": " (read as separated by commas, by semicolons and by tabs)"},
    "in_sheet": {"zh": "{file}（工作表“{sheet}”）", "en": "{file} (sheet “{sheet}”)"},
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
    "big5": {
        "zh": "{file}：似为繁体中文 Big5 编码，请另存为 UTF-8 后再筛查",
        "en": "{file}: looks like Big5 (Traditional Chinese) text; save it as UTF-8 and try again",
    },
    "not_text": {"zh": "{file}：不是 CSV 文本文件", "en": "{file}: not a CSV text file"},
    "csv_field_too_long": {
        "zh": "{file}：第 {row} 行有单元格超过 {limit:,} 个字符",
        "en": "{file}: row {row} has a cell longer than {limit:,} characters",
    },
    "csv_bad_row": {"zh": "{file}：第 {row} 行无法读取（{reason}）", "en": "{file}: row {row} cannot be read ({reason})"},
    # Limits (checker_sheets/read.py): each refusal names the limit and what to do.
    "too_big": {
        "zh": "{file}：{size:,.1f} MB，超过 {limit:,} MB 的上限",
        "en": "{file}: {size:,.1f} MB, over the limit of {limit:,} MB",
    },
    "too_big_unpacked": {
        "zh": "{file}：解压后 {size:,.1f} MB，超过 {limit:,} MB 的上限",
        "en": "{file}: {size:,.1f} MB unpacked, over the limit of {limit:,} MB",
    },
    "part_too_big": {
        "zh": "{file}：其中的 {part} 解压后 {size:,.1f} MB，超过 {limit:,} MB 的上限（工作表和共享字符串以外的部分）",
        "en": "{file}: its part {part} is {size:,.1f} MB unpacked, over the limit of {limit:,} MB for a part other than the sheets and shared strings",
    },
    "too_many_rows": {
        "zh": "{file}：标题行以下超过 {limit:,} 行（上限），请分成几个文件筛查",
        "en": "{file}: more than {limit:,} rows below the header (the limit); split it into several files",
    },
    "too_many_columns": {
        "zh": "{file}：第 {row} 行延伸到 {column} 列，超过 {limit:,} 列的上限",
        "en": "{file}: row {row} reaches column {column}, past the limit of {limit:,} columns",
    },
    "row_too_big": {
        "zh": "{file}：第 {row} 行内容过多，无法读取（每行至多 {limit:,} 列）",
        "en": "{file}: row {row} holds too much to read (at most {limit:,} columns a row)",
    },
    "past_last_row": {
        "zh": "{file}：行号超过 Excel 的最后一行 {limit:,}，文件已损坏",
        "en": "{file}: rows numbered past {limit:,}, Excel's last row: the file is damaged",
    },
    "out_of_memory": {
        "zh": "{file}：内存不足，无法筛查（文件过大）",
        "en": "{file}: out of memory while screening (the file is too large)",
    },
    "cannot_read": {"zh": "{file}：无法读取（{reason}）", "en": "{file}: cannot read ({reason})"},
    "bad_suffix": {
        "zh": "{file}：文件类型应为 {suffixes}",
        "en": "{file}: the file type must be {suffixes}",
    },
    "same_file": {"zh": "{file}：报告不能覆盖输入文件", "en": "{file}: the report must not overwrite the input"},
    "output_is_folder": {"zh": "{file}：是文件夹，请给出报告的文件名", "en": "{file}: is a folder; give the report a file name"},
    "no_folder": {"zh": "{file}：文件夹 {folder} 不存在", "en": "{file}: the folder {folder} does not exist"},
    "not_writable": {"zh": "{file}：没有在文件夹 {folder} 中写入的权限", "en": "{file}: no permission to write in the folder {folder}"},
    "cannot_write": {"zh": "{file}：无法写入（{reason}）", "en": "{file}: cannot write ({reason})"},
    "empty": {"zh": "{file}：没有数据行", "en": "{file}: no data rows"},
    "sheet_read": {"zh": "读取工作表“{sheet}”", "en": "reading sheet “{sheet}”"},
    "ignored_columns": {"zh": "未识别的列（原样保留）：{columns}", "en": "columns not in the template (kept as they are): {columns}"},
    "screened": {
        "zh": "已筛查 {rows} 行（{errors} 行有输入错误），报告：{output}",
        "en": {"count": "rows", "one": "screened {rows} row ({errors} with input errors); report: {output}",
               "other": "screened {rows} rows ({errors} with input errors); report: {output}"},
    },
}
