import itertools
L=[]
def add(expect, who, method, url, typ, body, kind):
    for x in (expect, who, method, url, typ, body, kind):
        assert '\t' not in x and '\n' not in x, x
    L.append('\t'.join([expect, who, method, url, typ, body, kind]))
def sec(t): L.append(''); L.append('# '+t)

L.append('# Hostile corpus (issue 17 part 4): expect who method url type body kind — tab-separated; see HostileCase.cs.')
L.append('# Run by HostileCorpusTests_Sqlite / _Postgres. Binary inputs are made at test time by HostileFiles.cs (@generator).')

sec('Every API endpoint that takes a body (POST, PUT): two kinds with the token of a supervisor and of an admin (admin-only endpoints refuse the supervisor before reading the body)')
add('ok','api','*','*','json','{','json-malformed')
add('ok','sup','*','*','json','@utf8-invalid','utf8')
add('ok','sup','*','*','json','{"title":42,"content":[],"name":{"a":1},"leadUnit":true,"version":"latest","dueAt":12,"unit":[],"reason":false,"note":{},"priority":"high","keywords":7}','json-types')
add('ok','api','*','*','json','{"title":"\\u0000","name":"A\\u0000B","code":"A\\u0000B","leadUnit":"K\\u0000T","unit":"K\\u0000T","cadre":"x\\u0000","reason":"\\u0007\\u001b[31m","note":"\\u0000","region":"K\\u0000T","userName":"a\\u0000"}','control-nul')
sec('Every API endpoint that takes a body, as a supervisor')
add('ok','sup','*','*','json','null','json-types')
add('ok','sup','*','*','json','@json-deep(1000)','json-malformed')
add('ok','sup','*','*','json','{"version":99999999999999999999,"priority":-2147483649,"score":1e309,"satisfaction":-1,"page":-1,"size":2147483648,"year":99999,"dueAt":"9999-12-31","from":"0001-01-01","to":"9999-12-31T23:59:59","date":"0001年1月1日","stage":"complete"}','range')
add('ok','sup','*','*','json','{"title":"<script>alert(1)</script>","content":"\'; DROP TABLE matters; --","name":"<img src=x onerror=alert(1)>","reason":"\' OR 1=1 --","note":"{{7*7}} ${7*7}"}','html-sql')
add('ok','sup','*','*','text','title=x','content-type')
add('ok','sup','*','*','json','@json-big-string(300000)','oversize')

sec('Matter actions (were HostileInputTests): odd bodies, as the township (its matter) and as the office')
bodies=['null','"just a string"','{"note": 42}','{"note": "'+'长'*5000+'"}','{"accepted": "yes"}','{"accepted": null}','{"satisfaction": 3}','{"satisfaction": "ecstatic"}','{"unit": [], "reason": "x"}','{"unit": "K-T"}','{"reason": "   "}','{"version": "latest"}','{"version": 99999999999}','{"a":'+'{"a":'*200+'1'+'}'*201,'{"note": "\\u0000\\ud800"}']
actions=['acknowledge','feedback','feedback','feedback','verify','verify','rate','rate','transfer','transfer','return','complete','complete','acknowledge','close']
for a,b in zip(actions,bodies):
    for who in ['town','sup']:
        add('ok',who,'POST','/api/matters/{matter}/'+a,'json',b,'json-types')
for a in ['nonsense','..%2F..%2Fetc','%00','DROP%20TABLE']:
    add('400raw' if '%00' in a else '4xx','sup','POST','/api/matters/{matter}/'+a,'json','{}','path')

sec('Creating a matter')
base='"title":"t","content":"c","goal":"g","standard":"s","leadUnit":"K-T"'
for typ,b in [('text','title=x'),('json',''),('json','{'+base+',"coUnits":[null,"","K-T"]}'),('json','{'+base+',"complex":"very"}'),('json','{'+base+',"dueAt":"2024-02-30"}'),('json','{'+base+',"profile":"\'; DROP TABLE matters; --"}')]:
    add('4xx','sup','POST','/api/matters',typ,b,'json-types')
add('400','sup','POST','/api/matters','json','@json-big-array','oversize')
add('4xx','sup','POST','/api/matters','json','@json-many-keys','oversize')
add('4xx','sup','POST','/api/matters','json','@utf16-json','utf8')
add('4xx','sup','POST','/api/matters','json','@utf8-overlong','utf8')
add('4xx','sup','POST','/api/matters','application/xml','<matter><title>t</title></matter>','content-type')
add('4xx','sup','POST','/api/matters','json','{"title":"半个代理\\ud800对","content":"c","goal":"g","standard":"s","leadUnit":"K-T"}','utf8')
for lead in ['K\\u0000T','K-T\\u0000','\\u0000','K-T\\u0007','K-T\\u202e','\' OR \'1\'=\'1','K-T\'; DROP TABLE units; --','../../K-T','<script>K-T</script>','K'*5000]:
    add('4xx','sup','POST','/api/matters','json','{"title":"t","content":"c","goal":"g","standard":"s","leadUnit":"'+lead+'"}','control-nul' if '\\u' in lead else 'html-sql')
for num in ['-1','0','1e309','99999999999999999999','"9"','-9223372036854775809','1.5','NaN']:
    add('4xx','sup','POST','/api/matters/{matter}/complete','json','{"version":'+num+'}','range')

sec('Dates at the ends of the range (were HostileInputTests.DatesAtTheEndsOfTheRange): refused beside their field, or ignored, never an error')
for d in ['9999-12-31','0001-01-01','0001年1月1日','9999-12-31T23:59:59','0001-01-01T00:00:00Z','1899-12-31','2200-01-01','2024-02-30','-0001-01-01','99999-01-01','2024-13-01','\\u0000']:
    q=d.replace('年','%E5%B9%B4').replace('月','%E6%9C%88').replace('日','%E6%97%A5').replace(':','%3A').replace('\\u0000','%00')
    add('400','sup','POST','/api/matters','json','{'+base+',"dueAt":"'+d+'"}','range')
    add('400','town','POST','/api/matters/{matter}/extensions','json','{"stage":"complete","dueAt":"'+d+'","reason":"材料未齐"}','range')
    add('400','sup','POST','/api/matters/{matter}/extend','json','{"stage":"complete","dueAt":"'+d+'","note":"同意"}','range')
    add('ok','sup','GET','/api/matters?dueBefore='+q,'none','-','range')
    add('ok','sup','GET','/api/hot-issues?from='+q+'&to='+q,'none','-','range')
    add('ok','sup','GET','/api/lookbacks?due='+q,'none','-','range')
    add('4xx','sup','POST','/api/pairing/enterprises/1/pair','json','{"cadre":"nobody","from":"'+d+'"}','range')
    add('4xx','sup','POST','/api/pairing/visits','json','{"enterpriseId":1,"date":"'+d+'","content":"走访"}','range')
    add('ok','sup','GET','/api/calendar/'+q,'none','-','range')
    add('ok','sup','GET','/api/reports/range?from='+q+'&to='+q,'none','-','range')

sec('Reads with hostile query strings and route values')
gets=['/api/matters','/api/items','/api/items/ledger','/api/instructions','/api/notices','/api/extensions','/api/accountability','/api/lookbacks','/api/inbox',
 '/api/webhooks','/api/deliveries','/api/routing-rules','/api/units','/api/calendar','/api/campaigns','/api/hot-issues','/api/weekly',
 '/api/assessment/schemes','/api/assessment/results','/api/assessment/adjustments','/api/assessment/judging','/api/assessment/competitions',
 '/api/assessment/citations','/api/assessment/card-rules','/api/assessment/cards','/api/assessment/interviews','/api/assessment/targets',
 '/api/assessment/targets/progress','/api/assessment/cadres','/api/pairing/enterprises','/api/pairing/cadres','/api/pairing/coverage',
 '/api/reports/monthly','/api/reports/weekly','/api/reports/quarterly','/api/reports/yearly','/api/reports/range','/api/reports/matters.xlsx',
 '/api/reports/drilldown','/api/reports/dashboard','/api/accountability/export.xlsx']
qs=['?page=-1&pageSize=999999999&size=-5&limit=2147483648&offset=-1',
    '?q=%00%27--&status=%3Cscript%3E&unit=K%00T&role=%E2%80%AE&set=-1&scheme=99999999999999999999',
    '?from=9999-12-31&to=0001-01-01&month=2024-13&week=2024-W99&quarter=2024-Q9&year=99999&period=%00&due=0001%E5%B9%B41%E6%9C%881%E6%97%A5',
    '?format=..%2F..%2Fetc%2Fpasswd&group=%27%20OR%201%3D1&metric=%3Cimg%3E&cases=-1&number=%00&issuer=%E2%80%AE&id=abc&dueBefore=x']
for g in gets:
    for q in qs:
        add('ok','sup','GET',g+q,'none','-','query')
byid=['/api/matters/{id}','/api/items/{id}','/api/instructions/{id}','/api/instructions/{id}/report.docx','/api/notices/{id}','/api/notices/{id}.docx',
 '/api/matters/{id}/notices','/api/matters/{id}/attachments','/api/attachments/{id}','/api/matters/{id}/people','/api/matters/{id}/campaigns',
 '/api/campaigns/{id}','/api/campaigns/{id}/review','/api/matters/{id}/similar','/api/batches/{id}','/api/routing-rules/{id}',
 '/api/assessment/schemes/{id}','/api/assessment/judging/{id}','/api/assessment/competitions/{id}','/api/assessment/citations/{id}',
 '/api/assessment/citations/{id}/docx','/api/assessment/targets/{id}/reports','/api/pairing/enterprises/{id}','/api/weekly/{id}','/api/weekly/{id}/report',
 '/api/assessment/competitions/entries/{id}/attachments','/api/assessment/targets/reports/{id}/attachments']
for b in byid:
    add('ok','sup','GET',b.replace('{id}','{matter}'),'none','-','path')
    add('4xx','sup','GET',b.replace('{id}','99999999999'),'none','-','path')
    add('4xx','sup','GET',b.replace('{id}','-1'),'none','-','range')
    add('4xx','sup','GET',b.replace('{id}','99999999999999999999'),'none','-','range')
for code in ['{code}','..%2F..%2Fetc%2Fpasswd','%00','%27%20OR%201%3D1--','%3Cscript%3E','A'*300]:
    for tail in ['','/details','/contact']:
        add('ok' if code=='{code}' else '400raw' if code=='%00' else '4xx','anon' if tail=='' else 'sup','GET','/api/appeals/'+code+tail,'none','-','path')
for key in ['nobody','%00','%27%20OR%201%3D1--','..%2F..%2Fadmin','%E2%80%AE','x'*500]:
    add('400raw' if key=='%00' else '4xx','sup','GET','/api/people/'+key,'none','-','path')
for d in ['2024-02-08','x','%00','2024-02-08%27--']:
    add('400raw' if d=='%00' else 'ok','sup','GET','/api/calendar/'+d,'none','-','path')

sec('Deletes of what does not exist, or is not theirs')
for u in ['/api/routing-rules/{id}','/api/webhooks/{id}','/api/campaigns/{id}','/api/weekly/{id}/matters/{id}']:
    add('4xx','adm' if 'routing' in u or 'webhooks' in u else 'sup','DELETE',u.replace('{id}','99999999999'),'none','-','path')
    add('4xx','town','DELETE',u.replace('{id}','{matter}'),'none','-','access')

sec('Specific bodies: appeals (public), rules, units, webhooks, pairing')
appeal='"title":"噪音","content":"夜间施工噪音扰民","category":"城乡建设","contactName":"张三"'
for phone in ['1390000\\u00001','<script>','\' OR 1=1 --','1'*500,'']:
    add('4xx','anon','POST','/api/appeals','json','{'+appeal+',"contactPhone":"'+phone+'"}','html-sql')
add('4xx','anon','POST','/api/appeals','json','{"title":"'+'长'*3000+'","content":"c","contactPhone":"13900001111"}','oversize')
add('4xx','anon','POST','/api/appeals','json','{"title":"t","content":"c","channel":"../../admin","contactPhone":"13900001112"}','path')
for p in ['-1001','1001','2147483648','"高"','1e3','-1.5']:
    add('4xx','adm','POST','/api/routing-rules','json','{"name":"规则","priority":'+p+',"leadUnit":"K-T","keywords":"噪音"}','range')
add('4xx','adm','POST','/api/routing-rules','json','{"name":"规则","priority":1,"leadUnit":"K\\u0000T","keywords":"噪音"}','control-nul')
add('4xx','adm','POST','/api/routing-rules','json','{"name":"规则","priority":1,"leadUnit":"K-T","keywords":"'+'噪,'*3000+'"}','oversize')
add('ok','adm','POST','/api/routing-rules','json','{"name":"规则","priority":1,"leadUnit":"K-T","keywords":"(a+)+$"}','regex')
for code in ['A\\u0000B','\\u0000','K-T\\u0000','A\\u0007B','../../etc','<b>x</b>','\' OR 1=1 --','A'*100,'  ','A\\u202eB']:
    add('ok' if code in ('../../etc','<b>x</b>') else '4xx','adm','POST','/api/units','json','{"code":"'+code+'","name":"单位","parentCode":"K-T","level":"village"}','control-nul' if '\\u' in code else 'html-sql')
for parent in ['K\\u0000T','NOPE','C-DC\\u0000']:
    add('4xx','adm','POST','/api/units','json','{"code":"H-X","name":"单位","parentCode":"'+parent+'","level":"village"}','control-nul')
for url in ['javascript:alert(1)','file:///etc/passwd','http://127.0.0.1:22/','http://[::1]/','ftp://x','http://'+'a'*3000+'.cn','http://x\\u0000.cn']:
    add('4xx','adm','POST','/api/webhooks','json','{"url":"'+url+'","events":["matter.assigned"],"secret":"s"}','url')
add('4xx','adm','POST','/api/webhooks','json','{"url":"https://example.cn/hook","events":["<script>"],"secret":"s"}','html-sql')
for cadre in ['nobody','x\\u0000','\' OR 1=1 --']:
    add('4xx','sup','POST','/api/pairing/enterprises/1/pair','json','{"cadre":"'+cadre+'","from":"2024-02-08"}','control-nul')
for credit in ['\\u0000','<script>','91110000'+'X'*100]:
    add('4xx','sup','POST','/api/pairing/enterprises','json','{"name":"企业","creditCode":"'+credit+'","region":"K-T"}','control-nul')
add('ok','sup','POST','/api/text/extract','json','{"text":"'+'市长指出，'*100000+'"}','oversize')
add('ok','sup','POST','/api/text/extract','json','{"text":"\\u0000\\u0007<script>alert(1)</script>要求各单位于9999年12月31日前完成"}','control-nul')
add('ok','sup','POST','/api/routing/suggest','json','{"title":"\\u0000","content":"'+'噪'*20000+'"}','oversize')
add('4xx','sup','PUT','/api/matters/{matter}/people','json','{"people":[{"name":"\\u0000","idNumber":"\' OR 1=1"}]}','control-nul')

sec('Oversize bodies')
for url in ['/api/matters','/api/appeals','/api/text/extract']:
    add('4xx','sup','POST',url,'json','@bytes(31457281)','oversize')

sec('Importers by API: 批量交办 (/api/matters/import) and 目标任务 (/api/assessment/targets/import)')
xl=['@xlsx-formula','@xlsx-nul-sheet','@xlsx-not-xml','@xlsx-truncated-sheet','@xlsx-dtd','@xlsx-xxe','@xlsx-billion-laughs','@xlsx-million-rows','@xlsx-huge-cell','@xlsx-no-workbook','@xlsx-bomb-honest','@xlsx-bomb-lying','@zip-garbage','@xlsx(matters)','@xlsx(matters-nul)','@xlsx(targets)','@csv-gbk','@csv-utf16','@csv-invalid-utf8','@csv-nul','@csv-injection','@empty','@exe']
for url in ['/api/matters/import','/api/matters/import?dryRun=true','/api/assessment/targets/import?dryRun=true','/api/assessment/targets/import']:
    for f in xl:
        name='a.csv' if f.startswith('@csv') else 'a.xlsx'
        add('ok' if f in ('@xlsx(matters)','@xlsx(matters-nul)','@xlsx(targets)','@csv-injection','@csv-gbk','@csv-utf16') else '4xx','sup','POST',url,'multipart:file:'+name,f,'xlsx' if 'xlsx' in f or 'zip' in f else 'csv' if 'csv' in f else 'file')
    add('4xx','sup','POST',url,'raw-multipart','@multipart-no-end','multipart')
    add('4xx','sup','POST',url,'raw-multipart','@multipart-big-header','multipart')
    add('4xx','sup','POST',url,'raw-multipart','@multipart-garbage','multipart')
    add('4xx','sup','POST',url,'multipart:file:../../../../etc/passwd.xlsx','@xlsx-not-xml','traversal')

sec('Attachments: uploads to a matter')
att=[('x.xlsx','@xlsx-bomb-honest'),('x.xlsx','@xlsx-bomb-lying'),('x.xlsx','@zip-garbage'),('x.pdf','@pdf-fake'),('x.exe','@exe'),('x.txt','@empty'),
     ('x.txt','@csv-invalid-utf8'),('x.docx','@xlsx(appeals)'),('x.pdf.exe','@exe'),('x.html','@pdf-fake'),('x.svg','@pdf-fake')]
for n,f in att:
    add('4xx','town','POST','/api/matters/{matter}/attachments','multipart:files:'+n,f,'zip' if 'bomb' in f or 'zip' in f else 'file')
for n in ['../../../../etc/passwd.txt','..\\\\..\\\\windows\\\\win.ini.txt','/etc/passwd.txt','a\u202etxt.exe','%00.txt','CON.txt','<script>alert(1)</script>.txt',"'; DROP TABLE attachments; --.txt",'长'*300+'.txt']:
    add('ok','town','POST','/api/matters/{matter}/attachments','multipart:files:'+n,'@csv-gbk','traversal')
for f in ['@multipart-truncated','@multipart-no-end','@multipart-big-header','@multipart-garbage','@multipart-traversal','@multipart-nul-name']:
    add('ok' if f in ('@multipart-traversal','@multipart-nul-name') else '4xx','town','POST','/api/matters/{matter}/attachments','raw-multipart',f,'multipart')
    add('4xx','sup','POST','/api/assessment/competitions/entries/99999999999/attachments','raw-multipart',f,'multipart')
    add('4xx','sup','POST','/api/assessment/targets/reports/99999999999/attachments','raw-multipart',f,'multipart')
add('4xx','town','POST','/api/matters/{matter}/attachments','json','{"files":"x"}','content-type')

sec('Page forms with antiforgery: imports (单位, 诉求, 批量交办, 台账, 节假日) and the main forms')
pxl=['@xlsx-formula','@xlsx-nul-sheet','@xlsx-not-xml','@xlsx-dtd','@xlsx-xxe','@xlsx-billion-laughs','@xlsx-million-rows','@xlsx-huge-cell','@xlsx-bomb-honest','@xlsx-bomb-lying','@zip-garbage','@csv-gbk','@csv-utf16','@csv-utf16-nobom','@csv-invalid-utf8','@csv-nul','@csv-injection','@csv-unclosed-quote','@csv-wide','@empty']
pages=[('page:adm','/admin/units?handler=Import'),('page:sup','/Import/Appeals?handler=Upload'),('page:sup','/Import/Matters?handler=Check'),('page:sup','/Items/Import?handler=Check')]
for who,url in pages:
    for f in pxl:
        name='a.csv' if f.startswith('@csv') else 'a.xlsx'
        add('ok',who,'POST',url,'multipart:file:'+name,f,'xlsx' if 'xlsx' in f or 'zip' in f else 'csv' if 'csv' in f else 'file')
    add('ok',who,'POST',url,'multipart:file:../../../etc/passwd.csv','@csv-gbk','traversal')
add('ok','page:adm','POST','/admin/units?handler=Import','form','csv=%E4%BB%A3%E7%A0%81%2C%E5%90%8D%E7%A7%B0%0D%0AA%00B%2C%E5%8D%95%E4%BD%8D','control-nul')
add('ok','page:adm','POST','/admin/units?handler=Save','form','code=A%00B&name=x&parent=K-T&level=village','control-nul')
add('ok','page:adm','POST','/admin/units?handler=Save','form','code=%3Cscript%3E&name=%27%3B%20DROP%20TABLE%20units%3B--&parent=K%00T&level=%00','html-sql')
for body in ['{','{"2024":{"holidays":["9999-12-31"]}}','[1,2,3]','{"days":[{"date":"0001-01-01","off":true}]}','\\u0000','<!DOCTYPE x [<!ENTITY a "b">]><x/>']:
    add('ok','page:adm','POST','/admin/calendar','multipart:file:cal.json',body,'json-malformed')
    add('ok','page:adm','POST','/admin/calendar','form','json='+body.replace('{','%7B').replace('}','%7D').replace('"','%22'),'json-malformed')
for f in ['@multipart-truncated','@multipart-no-end','@multipart-big-header','@multipart-garbage']:
    for who,url in pages+[('page:adm','/admin/calendar')]:
        add('ok',who,'POST',url,'raw-multipart',f,'multipart')
form_cases=[('page:sup','/Assign','Title=%00&Content=%3Cscript%3E&Goal=g&Standard=s&LeadUnit=K%00T&DueAt=9999-12-31'),
 ('page:sup','/Assign','Title=t&Content=c&Goal=g&Standard=s&LeadUnit=K-T&DueAt=0001%E5%B9%B41%E6%9C%881%E6%97%A5'),
 ('page:sup','/Assign','Title='+'%E9%95%BF'*20000+'&LeadUnit=K-T'),
 ('page:sup','/Assign','LeadUnit=%27%20OR%201%3D1--&CoUnits=K%00T&CoUnits=..%2F..'),
 ('page:town','/Matter/{matter}?handler=Feedback','Note=%00%07&Version=-1'),
 ('page:town','/Matter/{matter}?handler=Extension','DueAt=9999-12-31&Reason=%3Cscript%3E&Stage=complete'),
 ('page:sup','/Supervision','unit=K%00T&from=9999-12-31'),
 ('page:adm','/admin/routing','Rule.Name=%00&Rule.Priority=-1001&Rule.LeadUnit=K%00T'),
 ('page:adm','/admin/routing','Rule.Name=x&Rule.Priority=99999999999999999999&Rule.LeadUnit=K-T'),
 ('page:adm','/admin/users','UserName=a%00b&Name=x&Unit=K%00T&Password=short'),
 ('page:adm','/admin/webhooks','Url=javascript%3Aalert(1)&Events=%00'),
 ('page:adm','/admin/tokens','Unit=K%00T&Role=%3Cscript%3E&Name=%00'),
 ('page:sup','/Pairing','cadre=%00&from=9999-12-31'),
 ('page:sup','/Instructions/New','Title=%00&Content=%3Cscript%3E&DueAt=0001-01-01'),
 ('anon','/login','UserName=%00&Password=%27%20OR%201%3D1--'),
 ('anon','/Portal','Title=%00&Content=%3Cscript%3E&ContactPhone=%27--'),
]
for who,url,body in form_cases:
    add('ok',who,'POST',url,'form',body,'form')
    add('4xx',who+'!' if who!='anon' else 'anon','POST',url,'form',body+'&__RequestVerificationToken=forged','antiforgery')

open('tests/Duban.Web.Tests/Hostile/corpus.tsv','w',encoding='utf-8').write('\n'.join(L)+'\n')
print(sum(1 for l in L if l and not l.startswith('#')))
