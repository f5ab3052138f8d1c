#!/usr/bin/env python3
"""Lists the functions over 80 lines under a folder (default src/), longest first: from each
`fn` line to the closing brace at its indentation. Issue 21 keeps src/ at none."""
import re,sys,os
res=[]
for root,_,files in os.walk(sys.argv[1] if len(sys.argv)>1 else 'src'):
    for f in files:
        if not f.endswith('.rs'): continue
        p=os.path.join(root,f); lines=open(p).read().split('\n')
        i=0
        while i<len(lines):
            m=re.match(r'^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)',lines[i])
            if m:
                ind=m.group(1); name=m.group(7)
                # find closing brace at same indent
                j=i+1
                while j<len(lines) and not (lines[j].startswith(ind+'}') and len(lines[j].rstrip())==len(ind)+1):
                    if lines[j].strip()=='' and False: pass
                    j+=1
                # handle one-line signatures ending with ';'
                if lines[i].rstrip().endswith(';'): i+=1; continue
                n=j-i+1
                if n>80: res.append((n,p,name,i+1))
                i+=1
            else: i+=1
for r in sorted(res,reverse=True): print(*r)
print(len(res))
