# Build the MASH Desk Windows installer ON A WINDOWS BUILD MACHINE.
# (PyInstaller cannot cross-compile: the project's Linux machines cannot build or test this.)
#
# Needs: 64-bit Python 3.11 or newer (python.org installer, "py" launcher), Inno Setup 6.3+
# (ISCC.exe), and access to PyPI or an internal mirror for the first run.
#
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
#
# Result: build\installer\mash-desk-<version>-setup.exe (and the bundle in build\installer\dist).
param(
    [string]$Python = "py",
    [string]$PythonVersion = "-3.11",
    [string]$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
)
$ErrorActionPreference = "Stop"

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root
$Venv = Join-Path $Root ".venv-windows"
$VenvPython = Join-Path $Venv "Scripts\python.exe"

if (-not (Test-Path $VenvPython)) {
    Invoke-Checked "creating the virtual environment" { & $Python $PythonVersion -m venv $Venv }
}
Invoke-Checked "installing MASH Desk and PyInstaller" { & $VenvPython -m pip install --quiet --upgrade pip }
Invoke-Checked "installing MASH Desk and PyInstaller" { & $VenvPython -m pip install --quiet -e ".[installer]" }

$Version = & $VenvPython -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
Write-Host "Freezing MASH Desk $Version"
Invoke-Checked "PyInstaller" {
    & $VenvPython -m PyInstaller --noconfirm --clean --distpath build\installer\dist --workpath build\installer\work installer\mash-desk.spec
}

# the frozen program must say what it is before it is packaged
$Said = & build\installer\dist\mash-desk\mash-desk-cli.exe --version
if ($LASTEXITCODE -ne 0 -or -not $Said.StartsWith("MASH Desk $Version (database schema ")) {
    throw "the frozen program says '$Said', expected MASH Desk $Version"
}
Write-Host $Said

if (-not (Test-Path $Iscc)) { throw "Inno Setup's ISCC.exe was not found at $Iscc (pass -Iscc PATH)" }
Invoke-Checked "Inno Setup" { & $Iscc "/DAppVersion=$Version" installer\windows\mash-desk.iss }
Write-Host "Built build\installer\mash-desk-$Version-setup.exe"
