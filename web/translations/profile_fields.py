"""Chinese texts of the profile form's company-data fields (issue 12: address, GB/T 4754 industry,
kind of lead)."""

ZH = {
    "Company address (registered or current)": "企业地址（注册地址或现址）",
    "Industry (GB/T 4754 class or code)": "所属行业（国标行业门类或代码）",
    "Kind of lead": "项目性质",
    "Where the company already is": "企业现址所在区",
    "New investment": "新项目投资",
    "Expansion of an existing company": "现有企业扩产增资",
}
