"""Simplified Chinese translations of the interface, applied to the .po file.

Run ``uv run python scripts/translations_zh.py`` after ``makemessages``: it fills
every msgstr it knows and compiles the .mo file (polib; no gettext needed).
"""

from pathlib import Path

import polib

ZH = {
    "This is my only degree at bachelor's level or above": "这是我唯一的学士及以上学位",
    "Another degree: level": "其他学位：层次", "Another degree: field of study": "其他学位：所学专业",
    "Another degree: from a well-known university or research institution":
        "其他学位：来自知名高校或科研机构",
    "well-known institution": "知名机构", "institution not well known": "非知名机构",
    "%(name)s: not a fact of the profile (see the JSON Schema at /api/v1/openapi.json).":
        "%(name)s：不是个人资料中的事实（见 /api/v1/openapi.json 中的JSON Schema）。",
    "%(name)s: the value is too long.": "%(name)s：值太长。",
    "The draft is too large (at most %(kb)d KB).": "草稿过大（最多%(kb)d KB）。",
    "The image is %(w)d × %(h)d pixels; at most %(max)d million pixels are accepted.":
        "图片为%(w)d × %(h)d像素；最多接受%(max)d百万像素。",
    "“Older than” must be a whole number of days.": "“早于”必须是整数天数。",
    "“Older than” must be between 0 and %(max)d days.": "“早于”必须在0到%(max)d天之间。",
    "Nationality (as in the passport)": "国籍（与护照一致）",
    "Field of study of the degree": "学位所学专业",
    "Page not found": "找不到该页面",
    "There is no page at this address, or you do not have access to it. If you typed the "
    "address, check it; if you followed a link, it may be out of date.":
        "此地址没有页面，或您无权访问。如果是手动输入的地址，请检查；如果是点击链接进入的，该链接可能已过期。",
    "You cannot do that here": "您不能在此执行该操作",
    "Your account does not allow this action, or the form had expired. Go back, reload the "
    "page and try again.": "您的账户无权执行该操作，或表单已过期。请返回、刷新页面后重试。",
    "Something went wrong on our side": "我们这边出了问题",
    "Nothing you sent was lost: any change either happened completely or not at all. Please "
    "try again in a few minutes.": "您提交的内容没有丢失：任何更改要么完整完成，要么完全没有发生。请几分钟后重试。",
    "Go to the start page": "返回首页", "Error code": "错误代码", "Sources": "依据",
    "itemised": "明细", "if it applies": "如适用", "fee not published": "费用未公布",
    "optional": "可选",
    "Your name": "姓名", "E-mail": "电子邮箱", "e-mail": "电子邮箱", "Password": "密码",
    "At least 15 characters. A phrase of several words is strong and easy to remember.":
        "至少15个字符。由几个词组成的短语既安全又好记。",
    "An account with this e-mail already exists.": "该电子邮箱已注册。",
    "6-digit code from your authenticator app": "身份验证器应用中的6位验证码",
    "Name": "姓名", "name": "姓名", "Role": "角色", "Initial password": "初始密码",
    "Applicant": "申请人", "Adviser": "顾问", "Visa officer": "签证官", "Supervisor": "主管",
    "Analyst": "分析员", "Administrator": "管理员",
    "Use at least %(min)d characters. A long phrase is easiest to remember.":
        "请至少使用%(min)d个字符。较长的短语最容易记住。",
    "Use at most %(max)d characters.": "最多使用%(max)d个字符。",
    "At least 15 characters (8 with a second factor). Spaces and any characters are allowed; "
    "paste from a password manager works.":
        "至少15个字符（启用第二重验证时为8个）。可使用空格和任何字符，可从密码管理器粘贴。",
    "This password is too easy to guess.": "该密码太容易被猜到。",
    "Confirm your kvisa account": "确认您的kvisa账户",
    "Open this link to confirm your e-mail address:\n\n%(link)s\n":
        "请打开以下链接确认您的电子邮箱：\n\n%(link)s\n",
    "Your e-mail is confirmed. Welcome to kvisa.": "您的电子邮箱已确认。欢迎使用kvisa。",
    "That code is not right or has expired. Try the next one.": "验证码不正确或已过期，请使用下一个。",
    "The adviser can no longer act for you.": "该顾问已不能代表您办理。",
    "The adviser can now act on your applications.": "该顾问现在可以代您办理申请。",
    "Account created. The person sets up their authenticator at first sign-in.":
        "账户已创建。该用户首次登录时设置身份验证器。",
    "The application lacks data needed on the visa: %(what)s": "申请缺少签证所需信息：%(what)s",
    "Draft": "草稿", "Submitted": "已提交", "Under review": "审核中",
    "Evidence requested": "要求补充材料", "Approved": "已批准", "Issued": "已签发",
    "Refused": "已拒绝", "Withdrawn": "已撤回", "None": "无", "Secondary school": "中学",
    "Bachelor's": "学士", "Master's": "硕士", "Doctorate": "博士", "Female": "女",
    "Male": "男", "Unspecified": "未指明", "Surname (as in passport)": "姓（与护照一致）",
    "Given names": "名", "Sex": "性别", "Passport number": "护照号码",
    "Passport expiry date": "护照有效期至", "Date of birth": "出生日期",
    "Nationality (3-letter code, e.g. IND)": "国籍（三字母代码，如IND）",
    "Highest degree": "最高学位",
    "Field of study (ISCED-F code, e.g. 0613 software)": "专业领域（ISCED-F代码，如0613软件）",
    "The degree is from a well-known university or research institution":
        "学位来自知名高校或科研机构",
    "I teach or do research in a STEM field at such an institution":
        "我在此类机构从事理工科教学或科研",
    "Years of relevant work experience": "相关工作经验年数",
    "No such application.": "没有该申请。", "Your role cannot act on applications.":
        "您的角色不能处理申请。",
    "A client transaction id (1-80 characters) is required.": "需要客户端事务编号（1-80个字符）。",
    "This transaction id was already used for another action.": "该事务编号已用于其他操作。",
    "The case changed since you opened it (now: %(state)s). Reload and try again.":
        "您打开后案件已有变化（现为：%(state)s）。请刷新后重试。",
    "“%(action)s” is not possible while the case is %(state)s.":
        "案件处于“%(state)s”状态时不能执行“%(action)s”。",
    "Only the officer assigned to this case can do that.": "只有负责该案件的签证官可以执行此操作。",
    "You cannot act on your own application.": "您不能处理自己的申请。",
    "This action was just applied by a concurrent request.": "该操作刚被另一个请求执行。",
    "Unknown programme %(id)s.": "未知项目%(id)s。",
    "Only applicants (or their advisers) can apply.": "只有申请人（或其顾问）可以申请。",
    "You do not act for this applicant.": "您未获授权代表该申请人。",
    "Unknown identity field %(name)s.": "未知身份字段%(name)s。",
    "Only the applicant or their adviser edits a draft.": "只有申请人或其顾问可以编辑草稿。",
    "Only a draft can be edited.": "只能编辑草稿。",
    "Fill in %(field)s before submitting.": "提交前请填写%(field)s。",
    "Fill in date_of_birth before submitting.": "提交前请填写出生日期。",
    "Cases can only be assigned to officers.": "案件只能分配给签证官。",
    "An officer cannot review their own application.": "签证官不能审核自己的申请。",
    "Say what evidence is needed.": "请说明需要哪些材料。",
    "The due date must be in the future.": "截止日期必须在今天之后。",
    "Write an answer (documents can be uploaded too).": "请填写答复（也可上传文件）。",
    "There is no open evidence request.": "没有待答复的补充材料要求。",
    "Give at least one reason: a failed criterion or a note.": "请至少给出一个理由：未满足的条件或说明。",
    "Unknown criterion %(id)s.": "未知条件%(id)s。",
    "Explain why the refusal is reversed.": "请说明撤销拒签的理由。",
    "Refusals can be reversed within %(days)d days.": "拒签可在%(days)d天内撤销。",
    "Unknown document kind %(kind)s.": "未知文件类型%(kind)s。",
    "Only the applicant or their adviser uploads documents.": "只有申请人或其顾问可以上传文件。",
    "Documents can be added to a draft or when evidence is requested.":
        "只能在草稿阶段或被要求补充材料时添加文件。",
    "No adviser account with that e-mail.": "没有使用该邮箱的顾问账户。",
    "No such adviser link.": "没有该顾问授权。",
    "Degree certificate": "学位证书", "Passport photo page": "护照照片页", "CV": "简历",
    "Proof of teaching or research": "教学或科研证明", "Further evidence": "补充材料",
    "submitted": "已提交", "assigned to an officer": "已分配签证官", "reassigned": "已重新分配",
    "evidence requested": "要求补充材料", "evidence answered": "已补充材料",
    "approved": "已批准", "refused": "已拒绝", "e-visa issued": "电子签证已签发",
    "withdrawn": "已撤回", "refusal reversed": "拒签已撤销",
    "Nationality (e.g. IND, DEU)": "国籍（如IND、DEU）",
    "Field of study (ISCED-F code, e.g. 0613)": "专业领域（ISCED-F代码，如0613）",
    "Degree from a well-known university": "知名高校学位",
    "Teaching or research at a well-known institution": "在知名机构从事教学或科研",
    "Years of work experience": "工作经验年数", "Annual salary in China (CNY)": "在华年薪（人民币）",
    "Local average wage (CNY)": "当地平均工资（人民币）",
    "Years of continuous work in China": "在华连续工作年数", "Months a year in China": "每年在华月数",
    "US job offer": "美国工作邀约", "The US job is a specialty occupation": "美国职位属于专业职业",
    "US wage level (1-4)": "美国工资等级（1-4）", "US master's degree or higher": "美国硕士或以上学位",
    "Outside the US now": "目前在美国境外", "Holds a valid H-1B visa": "持有有效H-1B签证",
    "No criminal record": "无犯罪记录", "Good health": "身体健康",
    "eligible": "符合条件", "not eligible": "不符合条件", "undetermined": "待定",
    "met": "满足", "not met": "不满足", "unknown": "未知",
    "The file is larger than 10 MB.": "文件超过10 MB。", "The file is empty.": "文件为空。",
    "Only PDF, JPEG and PNG files are accepted; this file's content is none of them, whatever "
    "its name says.": "只接受PDF、JPEG和PNG文件；无论文件名如何，该文件内容都不属于这些格式。",
    "The PDF is damaged and cannot be opened.": "PDF已损坏，无法打开。",
    "A PDF must have between 1 and %(max)d pages.": "PDF页数必须在1到%(max)d之间。",
    "The image is damaged, truncated or too large.": "图片已损坏、不完整或过大。",
    "Could not read the MRZ: %(why)s": "无法读取机读区：%(why)s",
    "The MRZ has check-digit errors; please check the fields.": "机读区校验位有误，请核对各字段。",
    "Choose at least one file.": "请至少选择一个文件。",
    "%(name)s: larger than 10 MB.": "%(name)s：超过10 MB。", "%(name)s uploaded.": "%(name)s已上传。",
    "Your application is submitted.": "您的申请已提交。", "The application is withdrawn.": "申请已撤回。",
    "Your answer is sent to the officer.": "您的答复已发送给签证官。", "Done.": "已完成。",
    "Some of the input is not valid.": "部分输入无效。", "The file is larger than 15 MB.": "文件超过15 MB。",
    "Paste the seal's hex or upload the PDF or a photo.": "请粘贴印章的十六进制数据，或上传PDF或照片。",
    "Advisers": "顾问", "Who may act for you": "可代表您办理的人", "Since": "起始日期",
    "Status": "状态", "can act for you": "可代表您办理", "revoked": "已撤销", "Revoke": "撤销",
    "No adviser acts for you.": "目前没有顾问代表您。",
    "Allow an adviser to act for you": "授权顾问代表您办理", "Adviser's e-mail": "顾问的电子邮箱",
    "Give consent": "授权", "Your API token": "您的API令牌",
    "Copy it now; it is not shown again.": "请立即复制，之后不再显示。",
    "Too many attempts": "尝试次数过多",
    "Sign-in from this address is paused for 15 minutes. Your account is not locked elsewhere.":
        "来自该地址的登录已暂停15分钟。您的账户在其他地方未被锁定。",
    "Sign in": "登录", "Forgot your password?": "忘记密码？", "Reset your password": "重置密码",
    "Send reset link": "发送重置链接", "Choose a new password": "设置新密码", "Save": "保存",
    "This link is not valid any more.": "该链接已失效。", "Reset your kvisa password:": "重置您的kvisa密码：",
    "Register": "注册", "Create an applicant account": "创建申请人账户", "Second factor": "第二重验证",
    "Staff accounts need an authenticator app. Scan this code (or enter the key) in your app, "
    "then type the 6-digit code it shows.":
        "工作人员账户需要身份验证器应用。请用应用扫描此码（或输入密钥），然后输入显示的6位验证码。",
    "Type the 6-digit code from your authenticator app.": "请输入身份验证器应用中的6位验证码。",
    "Confirm": "确认", "Staff accounts": "工作人员账户", "Create an account": "创建账户",
    "Create": "创建", "This link is not valid": "该链接无效",
    "It may have been used already or have expired.": "该链接可能已被使用或已过期。",
    "Check your e-mail": "请查收电子邮件",
    "We sent a confirmation link to %(email)s. Open it to activate your account.":
        "我们已向%(email)s发送确认链接。请打开链接激活账户。",
    "Flows": "申请流量", "Aggregates only; no personal data.": "仅显示汇总数据，不含个人信息。",
    "Submitted applications": "已提交的申请", "Main": "主导航", "Compare routes": "比较途径",
    "Verify an e-visa": "核验电子签证", "My applications": "我的申请", "Queue": "待办队列",
    "Workload": "工作量", "Analytics": "数据分析", "Sign out": "退出", "Language": "语言",
    "Go": "确定",
    "kvisa — open-source talent-visa platform. Rules cite their legal sources; statuses show "
    "how sure each value is.": "kvisa——开源人才签证平台。每条规则注明法律依据，状态说明各数值的确定程度。",
    "Officer": "签证官", "Version": "版本", "Documents": "文件", "Evidence requests": "补充材料要求",
    "answer": "答复", "open, due": "待答复，截止", "History": "记录", "Rules": "规则",
    "Actions": "操作", "Assign to me": "分配给我", "Evidence needed": "需要的材料",
    "Due date": "截止日期", "Request evidence": "要求补充材料", "Note (optional)": "备注（可选）",
    "Approve and issue": "批准并签发", "Reasons (failed criteria)": "理由（未满足的条件）",
    "No criterion failed; explain in the note.": "没有未满足的条件，请在说明中解释。",
    "Explanation": "说明", "Refuse": "拒绝", "Reassign to": "重新分配给", "Reassign": "重新分配",
    "Why the refusal is reversed": "撤销拒签的理由", "Reverse refusal": "撤销拒签", "Visa": "签证",
    "Case queue": "案件队列", "State": "状态", "open cases": "未结案件", "Programme": "项目",
    "Nationality": "国籍", "Pre-check": "预审", "Older than (days)": "超过（天）", "Mine": "我的",
    "Filter": "筛选", "Reference": "编号", "Nothing in the queue.": "队列中没有案件。",
    "Next page": "下一页", "Team workload": "团队工作量", "Open cases": "未结案件",
    "Welcome": "欢迎", "China K visa for young science and technology talent":
        "中国K字签证——面向外国青年科技人才",
    "Apply online without an employer's invitation, see a pre-check of every criterion with its "
    "legal source, and receive an e-visa anyone can verify offline.":
        "无需雇主邀请即可在线申请，查看每项条件的预审结果及法律依据，并获得任何人都可离线核验的电子签证。",
    "Create an account and apply": "注册并申请",
    "Compare K visa, R/Z, permanent residence and US routes": "比较K字签证、R/Z签证、永久居留和美国途径",
    "Which routes are open to you?": "哪些途径适合您？",
    "China's K visa, R visa, work permit and permanent residence beside the US H-1B and "
    "employment green cards — from the same cited rules. Leave blank what you do not know: the "
    "answer says what is missing.":
        "中国K字签证、R字签证、工作许可和永久居留，与美国H-1B和职业移民绿卡并列比较——依据同一套注明出处的规则。不知道的可以留空：结果会说明缺少什么。",
    "Date of the comparison": "比较日期", "don't know": "不知道", "Yes": "是", "No": "否",
    "…or upload a profile JSON": "……或上传个人资料JSON", "Compare": "比较", "Routes on": "途径比较日期",
    "Route": "途径", "Verdict": "结论", "Missing / to qualify": "缺少信息 / 如何符合条件",
    "Government fees": "政府费用", "Days": "天数", "Validity": "有效期", "Odds": "概率",
    "missing": "缺少", "Cost and time": "费用与时间",
    "Government fees against days to start, per route": "各途径的政府费用与所需天数",
    "Each dot is a route with known fees and time; its size is the odds where chance decides.":
        "每个点代表一个费用和时间已知的途径；点的大小表示需要抽签时的中签概率。",
    "Start a K visa application with these facts": "用这些信息开始申请K字签证",
    "Draft saved.": "草稿已保存。", "Your clients' applications": "客户的申请", "Updated": "更新时间",
    "No applications yet.": "暂无申请。", "For client": "客户",
    "Start a K visa application": "开始申请K字签证",
    "The officer asks for more evidence": "签证官要求补充材料", "Due": "截止", "Add files": "添加文件",
    "Upload": "上传", "Your answer": "您的答复", "Send answer": "发送答复",
    "Your e-visa is issued": "您的电子签证已签发", "Visa number": "签证号码", "valid": "有效期",
    "Download the e-visa (PDF)": "下载电子签证（PDF）", "Withdraw the application": "撤回申请",
    "Application": "申请", "K visa application": "K字签证申请",
    "Paste your passport's machine-readable zone to fill in identity fields":
        "粘贴护照机读区以自动填写身份信息",
    "MRZ (the two lines at the bottom of the photo page)": "机读区（照片页底部的两行）",
    "Fill in from MRZ": "从机读区填写", "Identity (as in your passport)": "身份信息（与护照一致）",
    "Education and work": "教育与工作", "Save draft": "保存草稿", "Kind": "类型",
    "PDF, JPEG or PNG, up to 10 MB each": "PDF、JPEG或PNG，每个不超过10 MB",
    "No documents yet.": "暂无文件。", "Submit application": "提交申请", "Discard this draft": "放弃此草稿",
    "Upload the e-visa PDF or a photo of its barcode, or paste the seal. Verification works "
    "offline too: download the signer certificate and use any ICAO Visible Digital Seal reader.":
        "上传电子签证PDF或其条码照片，或粘贴印章数据。也可离线核验：下载签发证书，使用任何ICAO可视数字印章阅读器。",
    "Signer certificate": "签发证书", "PDF or photo": "PDF或照片", "…or the seal as hex": "……或印章十六进制数据",
    "Your session has ended.": "您的会话已结束。",
    "Your session has ended. What you typed is kept in this browser: sign in again in another tab, then come back — it will be saved.":
        "您的会话已结束。您输入的内容保存在本浏览器中：请在另一个标签页重新登录后返回，内容将被保存。",
    "Steps": "步骤", "Identity": "身份信息", "Check and submit": "检查并提交",
    "Everything you type is saved as you go; you can leave and come back.":
        "您输入的内容会随时保存，可以随时离开再回来继续。",
    "API access": "API访问", "Programs can use the JSON API at /api/v1/ with a bearer token.":
        "程序可以使用持有者令牌调用/api/v1/下的JSON接口。", "API documentation": "API文档",
    "Created": "创建时间", "active": "有效", "No tokens yet.": "暂无令牌。",
    "Token name": "令牌名称", "Create a token": "创建令牌",
    "fees (USD equivalent)": "费用（美元等值）",
    "Evidence overdue": "补充材料逾期",
    "Verify": "核验", "Valid": "有效", "Not valid": "无效", "days": "天",
    # accounts: tokens, passwords, throttling
    "What it may do": "权限", "Valid for (days)": "有效天数", "Read only": "只读",
    "Read and act": "读取并操作",
    "It contains your name, your e-mail or the service's name.":
        "其中包含您的姓名、电子邮件或本服务的名称。",
    "It is one of the passwords most often used or leaked, or built from one.":
        "这是最常用或已泄露的密码之一，或由此类密码变化而来。",
    "It is a walk along the keyboard, such as qwerty.": "这是沿键盘连续按键的组合，例如 qwerty。",
    "It repeats the same characters or words.": "其中重复了相同的字符或词语。",
    "It is a sequence, such as abcd or 1234.": "这是一个序列，例如 abcd 或 1234。",
    "It is a date or a year.": "这是一个日期或年份。",
    "It is short for what it is made of.": "就其组成而言太短。",
    "This password is too easy to guess. %(reason)s Try a phrase of several unrelated words.":
        "此密码太容易被猜中。%(reason)s请尝试由几个互不相关的词组成的短语。",
    "Too many failed sign-ins for this account. Wait %(n)d second and try again.":
        "此账户登录失败次数过多。请等待 %(n)d 秒后再试。",
    "Too many requests": "请求过多",
    "This address has sent this request too many times in the last hour. Nothing was lost; "
    "please try again in an hour.":
        "此地址在过去一小时内发送此请求的次数过多。没有任何内容丢失；请一小时后再试。",
    "A token ends on its expiry date, when you revoke it, and when your password or role "
    "changes. A read-only token cannot change anything.":
        "令牌在到期日、被您撤销或您的密码或角色变更时失效。只读令牌不能更改任何内容。",
    "Expires": "到期", "expired": "已过期",
    # casework: actions, documents
    "Withdraw": "撤回", "%(field)s: %(problem)s": "%(field)s：%(problem)s",
    "Your role cannot do “%(action)s” on a case.": "您的角色不能对案件执行“%(action)s”。",
    "JavaScript": "JavaScript", "an action that starts a program": "启动程序的动作",
    "an embedded file": "嵌入的文件", "an XFA form": "XFA 表单",
    "rich media (Flash or video)": "富媒体（Flash 或视频）", "a form that sends data": "发送数据的表单",
    "an action that imports data": "导入数据的动作",
    "data after the end of the PDF (a polyglot file?)": "PDF 结尾之后的数据（多格式伪装文件？）",
    "a structure kvisa could not fully read": "kvisa 无法完整读取的结构",
    "more objects than kvisa checks": "超出 kvisa 检查上限的对象数量",
    "Warning: this PDF contains": "警告：此 PDF 包含",
    # duplicates
    "Resolve possible duplicate": "处理可能的重复申请", "possible duplicate resolved": "已处理可能的重复申请",
    "to decide": "待决定", "not a duplicate": "不是重复申请", "linked: the same person": "已关联：同一人",
    "refused as a duplicate": "作为重复申请拒签", "Possible duplicates": "可能的重复申请",
    "same passport, date of birth and nationality": "护照、出生日期和国籍相同",
    "same date of birth and nationality, similar name": "出生日期和国籍相同，姓名相似",
    "Decision": "决定", "Not a duplicate": "不是重复申请", "Note": "备注",
    "The same person: link the cases": "同一人：关联这些案件",
    "A duplicate: refuse this application": "重复申请：拒签本申请", "Resolve": "处理",
    "Choose: not a duplicate, linked, or refused.": "请选择：不是重复申请、关联或拒签。",
    "There is no open duplicate flag %(id)s on this case.": "此案件没有待处理的重复标记 %(id)s。",
    "Duplicate of %(ref)s. %(note)s": "与 %(ref)s 重复。%(note)s",
    "All %(n)d card numbers for people of this sex born that day at this office are used.":
        "本机关为该日出生的同性别人员可用的 %(n)d 个证件号码已全部使用。",
    "The card cannot be numbered: %(why)s": "无法为证件编号：%(why)s",
    "Skip to main content": "跳到主要内容",
    # /verify
    "Not a readable seal": "无法读取的电子签章",
    "Signed by someone kvisa does not trust": "签发者不在 kvisa 信任列表中",
    "The signature does not match: the seal was altered": "签名不符：电子签章已被改动",
    "The visa data inside the seal is inconsistent": "电子签章中的签证数据不一致",
    "The printed visa differs from the seal": "打印的签证与电子签章不一致",
    "The passport data is inconsistent": "护照数据不一致",
    "The passport is not the one the visa was issued for": "该护照不是签证所对应的护照",
    "Not valid yet": "尚未生效", "Expired": "已过期",
    "That is not a seal: a pasted seal is hexadecimal text (the digits 0-9 and the letters "
    "a-f). Copy it again from the e-visa, or upload the PDF or a photo of its barcode.":
        "这不是电子签章：粘贴的电子签章应为十六进制文本（数字0-9和字母a-f）。请从电子签证重新复制，"
        "或上传PDF或其条码照片。",
    "No seal could be read from this file. Upload the e-visa PDF, or a sharp photo of its "
    "barcode.": "无法从此文件中读取电子签章。请上传电子签证PDF，或其条码的清晰照片。",
    "Technical detail": "技术细节", "Valid e-visa for": "有效电子签证，持有人", "E-visa for": "电子签证，持有人",
    "born": "出生于", "passport": "护照", "multiple entries": "多次入境",
    "%(n)s entry": "%(n)s次入境", "%(n)s days each stay": "每次停留%(n)s天",
    "Compare these with the traveller's passport.": "请将以上信息与旅客的护照核对。",
    "Seal details": "电子签章详情",
    "The rules give no value for %(output)s on %(day)s, so nothing can be issued; the facts "
    "it needs: %(facts)s.": "规则在 %(day)s 无法给出 %(output)s 的值，因此无法签发；所需事实：%(facts)s。",
    "An idempotency key (Idempotency-Key header or client_txn_id, 1-80 characters) is "
    "required.": "需要幂等键（Idempotency-Key 请求头或 client_txn_id，1至80个字符）。",
    "This Idempotency-Key was already used for a different request; use a new key for a new "
    "request.": "此 Idempotency-Key 已用于另一个不同的请求；新请求请使用新的键。",
    "A request with this Idempotency-Key is still being processed; retry when it has "
    "finished.": "使用此 Idempotency-Key 的请求仍在处理中；请在其完成后重试。",
    "Waiting for the applicant's evidence; nothing for you to do until it arrives.":
        "正在等待申请人提交补充材料；材料到达前无需您操作。",
    "This case is assigned to another officer.": "此案件已分配给另一位签证官。",
    "No action is open to you in this state.": "在此状态下您没有可执行的操作。",
    "It downloads as a file; open it only in a viewer that does not run scripts.":
        "它以文件形式下载；请只在不运行脚本的阅读器中打开。",
    "The card needs the holder's photo: ask the applicant for a passport-style photo (document kind “Photo”) first.": '证件需要持证人照片：请先要求申请人上传护照式照片（文件类型“照片”）。',
    'Card number %(number)s is already taken; nothing was issued. Try again.': '证件号码 %(number)s 已被占用；未签发任何证件，请重试。',
    'Choose why the card is reissued.': '请选择补发或换发的原因。',
    'Only officers and supervisors reissue cards.': '只有签证官和主管可以补发或换发证件。',
    'This card has already been replaced; reissue the current one.': '该证件已被替换；请对当前有效证件办理。',
    'The card has expired: renew it instead of replacing it.': '该证件已过期：请办理换发，而非补发。',
    'Renewal (validity ending)': '换发（有效期将满）',
    'Replacement: lost or stolen': '补发：遗失或被盗',
    'Replacement: damaged': '换发：损坏',
    'Extended': '已扩充',
    'Replaced': '已替换',
    'Work in China: salary and income tax (rules of 2019)': '在华工作：工资收入和纳税（2019年政策）',
    'A senior post at a qualifying employer': '在符合条件的单位担任高级职务',
    'Direct investment in China': '在华直接投资',
    'Spouse of a Chinese citizen or permanent resident': '中国公民或永久居留外国人的配偶',
    'Child under 18 joining a parent': '未满十八周岁投靠父母的子女',
    'Aged 60 or over, joining relatives': '年满六十周岁投靠亲属',
    'Significant contribution to China': '对中国有重大突出贡献',
    'An encouraged industry': '鼓励类产业',
    'The western region or a poverty-alleviation county': '西部地区或国家扶贫开发重点县',
    'The central region': '中部地区',
    'Elsewhere': '其他地区',
    'Name in Chinese characters, if you have one': '中文姓名（如有）',
    'Number of your old 15-character card, if you hold one': '旧版15位证件号码（如持有）',
    'Do you have no criminal record anywhere?': '您是否在任何地方均无犯罪记录？',
    'Are you in good health?': '您身体健康吗？',
    'Is your tax record in China good (no arrears or penalties)?': '您在中国的纳税记录是否良好（无欠税或处罚）？',
    'Years lived in China without a break': '在中国连续居留的年数',
    'Months a year you live in China (the lowest year)': '每年在中国居住的月数（按最少的一年）',
    'Do you have a stable income and a home in China?': '您在中国是否有稳定生活保障和住所？',
    'Are you a deputy general manager, associate professor or above (or equivalent) at a qualifying employer?': '您是否在符合条件的单位担任副总经理、副教授或以上职务（或享受同等待遇）？',
    'Years in that post without a break': '连续任职年数',
    'Years actually lived in China in that time': '其间在中国实际居住的年数',
    'Paid-in capital of your direct investment (US dollars)': '直接投资的实缴注册资本（美元）',
    'Where or in what is the investment?': '投资所在地区或领域',
    'Years the investment has stayed at that level': '投资保持该水平的年数',
    'Are you married to a Chinese citizen or a permanent resident of China?': '您的配偶是否为中国公民或在华永久居留外国人？',
    'Years married': '婚姻存续年数',
    'Are you unmarried?': '您是否未婚？',
    'Are you joining a parent in China who supports you?': '您是否投靠在华并抚养您的父母？',
    'Do you have no direct relatives outside China?': '您在境外是否无直系亲属？',
    'Are you joining direct relatives in China who support you?': '您是否投靠在华并赡养您的直系亲属？',
    'Has the authority recognised a significant contribution to China, or a special national need?': '主管机关是否认定您对中国有重大突出贡献或为国家特别需要？',
    'City': '城市',
    'Salary income (CNY)': '工资收入（人民币）',
    'Income tax paid (CNY)': '已缴个人所得税（人民币）',
    'Months lived in China': '在华居住月数',
    'Saved: the table now has %(n)d figure.': '已保存：表中现有 %(n)d 个数据。',
    'A photo must be a JPEG or PNG image, not a PDF.': '照片必须是JPEG或PNG图像，不能是PDF。',
    'This is not a usable photo: %(why)s.': '该照片无法使用：%(why)s。',
    'Photo (passport style, for the card)': '照片（护照式，用于证件）',
    'Employment and tax record (one year)': '就业和纳税记录（一年）',
    'Route applied under': '申请类别',
    'Choose one of the routes.': '请选择一个申请类别。',
    'A new card with number %(number)s is issued, valid until %(until)s; the earlier card is superseded.': '已签发号码为 %(number)s 的新证件，有效期至 %(until)s；原证件已作废。',
    'No card has the number %(number)s (new or old).': '没有号码为 %(number)s 的证件（新号或旧号）。',
    'Only an administrator can change reference data.': '只有管理员可以更改参考数据。',
    'Work in China, year by year, against the local average wage of the year before': '在华逐年工作情况，对照当地上一年度平均工资',
    'Year': '年份',
    'City, months': '城市、月数',
    'Average wage (its year)': '平均工资（所属年度）',
    'Salary / needed': '工资 / 要求',
    'Tax / needed': '纳税 / 要求',
    'Result': '结果',
    'No record for this year': '该年度无记录',
    'reported': '仅见于报道',
    'not in the table': '表中没有',
    'Permanent resident cards': '永久居留身份证',
    'Why': '原因',
    'Files': '文件',
    'superseded': '已作废',
    'current': '当前有效',
    'front': '正面',
    'back': '背面',
    'Renew or replace the current card (same number)': '换发或补发当前证件（号码不变）',
    'Issue the new card': '签发新证件',
    'Find a resident card by its number (new or old)': '按证件号码（新号或旧号）查找永久居留身份证',
    'Find': '查找',
    'K visa': 'K字签证',
    'Your permanent resident ID card is issued': '您的永久居留身份证已签发',
    'Back of your card, with its digital seal': '证件背面，带数字印章',
    'Continue': '继续',
    'Work in China, year by year': '在华逐年工作情况',
    "One row per calendar year, %(first)s to %(last)s, as on your tax certificates. Each year's salary is compared with the previous year's average wage in the city you worked in.": '每个日历年一行（%(first)s年至%(last)s年），与完税证明一致。每年的工资将与您工作所在城市上一年度的平均工资比较。',
    'Local average wages': '当地平均工资',
    "The employment route to permanent residence compares each year's salary with a multiple of the previous year's average wage of urban employees in the city worked in. A city or year missing here makes that test <em>unknown</em> for the applicant, with the missing figure named; it is never filled in.": '永久居留的工作类别将每年的工资与所在城市上一年度城镇单位就业人员平均工资的倍数比较。此处缺少的城市或年份会使该项审查结果为<em>未知</em>，并注明缺少的数据；系统绝不自行补填。',
    'In use: version %(version)s.': '当前使用：第 %(version)s 版。',
    'In use: the table shipped with kvisa.': '当前使用：kvisa 自带的数据表。',
    'Download as CSV': '下载CSV',
    'Average yearly wage of urban employees, CNY': '城镇单位就业人员年平均工资（人民币）',
    'Average wage (CNY)': '平均工资（人民币）',
    'How sure': '确定程度',
    'official release': '官方发布',
    'reported, not checked against the release': '仅见于报道，未与官方发布核对',
    'Add or replace figures': '添加或替换数据',
    'A CSV file (UTF-8) with the header <code class="mono">%(columns)s</code>. Status is <code>official</code> (read from the bureau\'s own release) or <code>reported</code>. The whole file is checked first: a bad line, a year already in the table, or a gap in a city\'s years is refused with its line number, and nothing changes.': 'CSV文件（UTF-8），表头为 <code class="mono">%(columns)s</code>。状态为 <code>official</code>（取自主管部门发布）或 <code>reported</code>。系统先检查整个文件：有错误的行、表中已有的年份或某城市年份缺漏都会被拒绝并注明行号，且不做任何更改。',
    'CSV file, up to 2 MB': 'CSV文件，不超过2 MB',
    'Adds figures to the table': '向表中添加数据',
    'Replaces the whole table (to correct a figure)': '替换整个数据表（用于更正数据）',
    'When': '时间',
    'By': '操作人',
    'Change': '更改',
    'Figures': '数据条数',
    'No uploads yet: the table shipped with kvisa is in use.': '尚无上传：正在使用 kvisa 自带的数据表。',
    'Valid permanent resident card for': '有效的永久居留身份证，持证人',
    'Permanent resident card for': '永久居留身份证，持证人',
    'former card number': '原证件号码',
    'compare these and the photo with the card and its holder.': '请将这些信息和照片与证件及持证人核对。',
    "The holder's photo cannot go on a card: %(why)s.": '持证人照片无法用于证件：%(why)s。',
    'The card cannot be issued: %(why)s': '无法签发证件：%(why)s',
    'No such card.': '没有该证件。',
    'Only a card of an issued case can be reissued.': '只有已签发案件的证件才能补发或换发。',
    'First issue': '首次签发',
    'Choose a CSV file to upload.': '请选择要上传的CSV文件。',
    'The file is larger than 2 MB; nothing was changed.': '文件超过2 MB，未做任何更改。',
    'The file was not used: %(why)s': '未使用该文件：%(why)s',
    'Reference data': '参考数据',
    'Card number': '证件号码',
    'Former number': '原号码',
    'resident card issued': '永久居留身份证已签发',
    'Permanent residence': '永久居留',
    'Start a permanent residence application': '开始永久居留申请',
    'Front of your card': '证件正面',
    'Download the card (PDF)': '下载证件（PDF）',
    'Anyone can check the card offline: the seal on the back verifies at /verify, or with the signer certificate in any ICAO Visible Digital Seal reader.': '任何人都可以离线核验证件：背面的印章可在 /verify 核验，或用签发者证书在任何ICAO可视数字印章阅读器中核验。',
    'Permanent residence application': '永久居留申请',
    'Your situation': '您的情况',
    'Which route are you applying under?': '您按哪一类别申请？',
    'Change route': '更改类别',
    'Source': '来源',
    'What the file does': '文件的作用',
    'Note for the record (optional)': '备注（可选）',
    'Versions': '版本',
    'card number': '证件号码',
    'Beside each route: whether what you have told us so far already meets it.': '每个类别旁显示：根据您目前填写的信息是否已符合该类别。',
    'fits': '符合',
    'needs your answers': '需要您的回答',
}


def main() -> None:
    path = Path(__file__).resolve().parent.parent / "src/kvisa/locale/zh_Hans/LC_MESSAGES"
    po = polib.pofile(str(path / "django.po"))
    missing = []
    for entry in po:
        if entry.msgid in ZH and entry.msgid_plural:
            entry.msgstr_plural = {0: ZH[entry.msgid]}  # Chinese has one plural form
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif entry.msgid in ZH:
            entry.msgstr = ZH[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif (not entry.msgstr and not any(entry.msgstr_plural.values())) or \
                "fuzzy" in entry.flags:
            # a fuzzy guess from a similar old text is worse than English: drop it
            entry.msgstr = ""
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            missing.append(entry.msgid)
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(path / "django.mo"))
    print(f"{len(po) - len(missing)} translated, {len(missing)} missing")
    for msgid in missing:
        print("  missing:", msgid[:80])


if __name__ == "__main__":
    main()
